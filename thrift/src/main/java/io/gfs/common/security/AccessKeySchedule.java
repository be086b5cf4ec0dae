package io.gfs.common.security;

import io.gfs.common.Check;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The master's access keys (HDFS's block key model): a current key signs tokens, the next one is already published so
 * chunkservers hold it before it signs anything, and every rotation interval the next key becomes current. A key
 * expires a token lifetime after it stops signing, so no token outlives its key, and an old key stays published until
 * then: rotation needs no downtime. Pure and thread-safe: time comes in as nowMillis, secrets from the generator the
 * caller passes (a SecureRandom in the master).
 */
public final class AccessKeySchedule {
  private final long rotationIntervalMillis;
  private final long tokenLifetimeMillis;
  private final RandomGenerator random;
  private final List<AccessKey> retired = new ArrayList<>();
  private AccessKey current;
  private AccessKey next;
  private long currentSinceMillis;

  public AccessKeySchedule(long rotationIntervalMillis, long tokenLifetimeMillis, RandomGenerator random,
      long nowMillis) {
    Check.argument(rotationIntervalMillis > 0, "key rotation interval %s ms <= 0", rotationIntervalMillis);
    Check.argument(tokenLifetimeMillis > 0, "token lifetime %s ms <= 0", tokenLifetimeMillis);
    this.rotationIntervalMillis = rotationIntervalMillis;
    this.tokenLifetimeMillis = tokenLifetimeMillis;
    this.random = Check.notNull(random, "random");
    this.current = newKey(nowMillis + rotationIntervalMillis + tokenLifetimeMillis);
    this.next = newKey(nowMillis + 2 * rotationIntervalMillis + tokenLifetimeMillis);
    this.currentSinceMillis = nowMillis;
  }

  /** Makes the next key current once the current one has signed for a rotation interval; true when it did. */
  public synchronized boolean rotateIfDue(long nowMillis) {
    retired.removeIf(key -> key.expiresMillis() <= nowMillis);
    if (nowMillis - currentSinceMillis < rotationIntervalMillis) {
      return false;
    }
    retired.add(current);
    current = next;
    currentSinceMillis = nowMillis;
    next = newKey(nowMillis + 2 * rotationIntervalMillis + tokenLifetimeMillis);
    return true;
  }

  /** Every key a chunkserver needs: those still valid for tokens already issued, the current one and the next. */
  public synchronized List<AccessKey> published(long nowMillis) {
    List<AccessKey> out = new ArrayList<>();
    for (AccessKey key : retired) {
      if (key.expiresMillis() > nowMillis) {
        out.add(key);
      }
    }
    out.add(current);
    out.add(next);
    return out;
  }

  public synchronized AccessKey current() {
    return current;
  }

  /**
   * A token for the handles signed with the current key, valid for the token lifetime but never past the key's own
   * expiry (a late rotation must not make a token outlive its key).
   */
  public byte[] issue(String user, AccessMode mode, long nowMillis, long... handles) {
    AccessKey key = current();
    long expiresMillis = Math.min(nowMillis + tokenLifetimeMillis, key.expiresMillis());
    return AccessToken.of(key.keyId(), expiresMillis, user, mode, handles).sign(key);
  }

  public long tokenLifetimeMillis() {
    return tokenLifetimeMillis;
  }

  private AccessKey newKey(long expiresMillis) {
    byte[] secret = new byte[AccessKey.SECRET_BYTES];
    random.nextBytes(secret);
    return new AccessKey(random.nextLong(), secret, expiresMillis);
  }
}
