package io.gfs.common.security;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A chunkserver's check of chunk access tokens: the keys it has been sent (every key a master published and that has
 * not expired, so tokens from before a key rotation or from a previous master stay valid until they expire) and the
 * verification of one token for one call. Thread-safe; pure (time comes in as nowMillis).
 */
public final class TokenVerifier {
  /** Most keys remembered; a master publishes a few at a time, this only bounds what a confused master can cost. */
  public static final int KEYS_MAX = 1024;

  private final boolean enabled;
  private final Map<Long, AccessKey> keys = new ConcurrentHashMap<>();

  /** enabled false: every call is let through (gfs.access.tokens.enabled=false). */
  public TokenVerifier(boolean enabled) {
    this.enabled = enabled;
  }

  public boolean enabled() {
    return enabled;
  }

  /** Adds the keys of a heartbeat reply and forgets expired ones. */
  public void accept(Collection<AccessKey> published, long nowMillis) {
    for (AccessKey key : published) {
      if (key.expiresMillis() > nowMillis && keys.size() < KEYS_MAX) {
        keys.put(key.keyId(), key);
      }
    }
    keys.values().removeIf(key -> key.expiresMillis() <= nowMillis);
  }

  public int keyCount() {
    return keys.size();
  }

  /**
   * The token, when it is signed by a known key, unexpired, allows mode and names handle; else TokenException saying
   * why. Null when tokens are disabled.
   */
  public AccessToken verify(byte[] encoded, long handle, AccessMode mode, long nowMillis) throws TokenException {
    AccessToken token = verifyAny(encoded, mode, nowMillis);
    if (token != null && !token.handles().contains(handle)) {
      throw new TokenException("the access token is for chunks " + token.handles() + ", not chunk " + handle);
    }
    return token;
  }

  /** As {@link #verify} but for any chunk (pushData: the data is tied to a chunk only by the later write). */
  public AccessToken verifyAny(byte[] encoded, AccessMode mode, long nowMillis) throws TokenException {
    if (!enabled) {
      return null;
    }
    AccessToken token = AccessToken.parse(encoded);
    AccessKey key = keys.get(token.keyId());
    if (key == null) {
      throw new TokenException("access token signed with key " + token.keyId() + ", which this chunkserver does not "
          + "know (expired, or not received from the master yet)");
    }
    if (!AccessToken.signedBy(encoded, key)) {
      throw new TokenException("access token signature does not verify (forged or altered)");
    }
    if (token.expiresMillis() <= nowMillis) {
      throw new TokenException("access token expired " + (nowMillis - token.expiresMillis()) + " ms ago");
    }
    if (!token.allows(mode)) {
      throw new TokenException("access token does not allow " + mode + " (mode bits " + token.modeBits() + ")");
    }
    return token;
  }
}
