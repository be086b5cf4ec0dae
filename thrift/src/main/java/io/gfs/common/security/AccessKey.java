package io.gfs.common.security;

import io.gfs.common.Check;
import java.util.Arrays;

/**
 * A secret that signs chunk access tokens (HMAC-SHA256). keyId names it inside each token; expiresMillis (master
 * clock) is the end of the last token it may have signed, so after it the key is useless and forgotten.
 */
public record AccessKey(long keyId, byte[] secret, long expiresMillis) {
  public static final int SECRET_BYTES = 32;

  public AccessKey {
    Check.notNull(secret, "secret");
    Check.argument(secret.length == SECRET_BYTES, "secret of %s bytes, not %s", secret.length, SECRET_BYTES);
    Check.argument(expiresMillis > 0, "key %s expires at %s", keyId, expiresMillis);
    secret = secret.clone();
  }

  @Override
  public byte[] secret() {
    return secret.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AccessKey k && k.keyId == keyId && k.expiresMillis == expiresMillis
        && Arrays.equals(k.secret, secret);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(keyId) * 31 + Long.hashCode(expiresMillis);
  }

  /** Never the secret: keys end up in logs. */
  @Override
  public String toString() {
    return "AccessKey[" + keyId + ", expires " + expiresMillis + "]";
  }
}
