package io.gfs.common.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AccessTokenTest {
  private static final long NOW = 1_000_000;
  private final SplittableRandom random = new SplittableRandom(7);
  private final AccessKey key = key(11, NOW + 60_000);
  private final TokenVerifier verifier = new TokenVerifier(true);

  private AccessKey key(long id, long expiresMillis) {
    byte[] secret = new byte[AccessKey.SECRET_BYTES];
    random.nextBytes(secret);
    return new AccessKey(id, secret, expiresMillis);
  }

  @Test
  void aSignedTokenParsesBackAndVerifiesForItsChunkAndMode() throws Exception {
    verifier.accept(List.of(key), NOW);
    byte[] encoded = AccessToken.of(11, NOW + 1000, "alice", AccessMode.READ, 42, 43).sign(key);
    AccessToken parsed = AccessToken.parse(encoded);
    assertEquals(new AccessToken(11, NOW + 1000, "alice", AccessMode.READ.bit(), List.of(42L, 43L)), parsed);
    assertEquals(parsed, verifier.verify(encoded, 43, AccessMode.READ, NOW));
    assertTrue(encoded.length <= AccessToken.ENCODED_BYTES_MAX);
  }

  @Test
  void everyKindOfBadTokenIsRefusedWithItsReason() {
    verifier.accept(List.of(key), NOW);
    byte[] good = AccessToken.of(11, NOW + 1000, "alice", AccessMode.READ, 42).sign(key);
    assertRefused("no access token", null, 42, AccessMode.READ, NOW);
    assertRefused("no access token", new byte[0], 42, AccessMode.READ, NOW);
    assertRefused("not chunk 7", good, 7, AccessMode.READ, NOW);
    assertRefused("does not allow WRITE", good, 42, AccessMode.WRITE, NOW);
    assertRefused("expired", good, 42, AccessMode.READ, NOW + 1000);
    byte[] altered = good.clone();
    altered[altered.length - 40] ^= 1; // inside the handle: the signature no longer matches
    assertRefused("does not verify", altered, 42, AccessMode.READ, NOW);
    byte[] otherSecret = AccessToken.of(11, NOW + 1000, "alice", AccessMode.WRITE, 42).sign(key(11, NOW + 60_000));
    assertRefused("does not verify", otherSecret, 42, AccessMode.WRITE, NOW);
    byte[] unknownKey = AccessToken.of(12, NOW + 1000, "alice", AccessMode.READ, 42).sign(key(12, NOW + 60_000));
    assertRefused("does not know", unknownKey, 42, AccessMode.READ, NOW);
    assertRefused("malformed", java.util.Arrays.copyOf(good, 20), 42, AccessMode.READ, NOW);
    assertRefused("format", new byte[] {9, 1, 2}, 42, AccessMode.READ, NOW);
    assertRefused("more than", new byte[AccessToken.ENCODED_BYTES_MAX + 1], 42, AccessMode.READ, NOW);
  }

  @Test
  void writeImpliesReadAndOnlyMasterTokensAllowMasterOrders() throws Exception {
    verifier.accept(List.of(key), NOW);
    byte[] write = AccessToken.of(11, NOW + 1000, "alice", AccessMode.WRITE, 42).sign(key);
    verifier.verify(write, 42, AccessMode.READ, NOW);
    assertRefused("does not allow MASTER", write, 42, AccessMode.MASTER, NOW);
    byte[] master = AccessToken.of(11, NOW + 1000, "gfs", AccessMode.MASTER, 42).sign(key);
    verifier.verify(master, 42, AccessMode.MASTER, NOW);
    verifier.verify(master, 42, AccessMode.WRITE, NOW);
    verifier.verifyAny(write, AccessMode.WRITE, NOW);
  }

  @Test
  void expiredKeysAreForgottenAndADisabledVerifierLetsEverythingThrough() throws Exception {
    verifier.accept(List.of(key, key(12, NOW + 10)), NOW);
    assertEquals(2, verifier.keyCount());
    verifier.accept(List.of(), NOW + 10);
    assertEquals(1, verifier.keyCount());
    TokenVerifier off = new TokenVerifier(false);
    assertEquals(null, off.verify(null, 42, AccessMode.WRITE, NOW));
  }

  @Test
  void keysNeverPrintTheirSecretAndCopyIt() {
    byte[] secret = new byte[AccessKey.SECRET_BYTES];
    AccessKey k = new AccessKey(5, secret, 10);
    secret[0] = 1;
    assertArrayEquals(new byte[AccessKey.SECRET_BYTES], k.secret());
    assertEquals("AccessKey[5, expires 10]", k.toString());
  }

  private void assertRefused(String reason, byte[] token, long handle, AccessMode mode, long nowMillis) {
    TokenException e = assertThrows(TokenException.class, () -> verifier.verify(token, handle, mode, nowMillis));
    assertTrue(e.getMessage().contains(reason), e.getMessage() + " should say " + reason);
  }
}
