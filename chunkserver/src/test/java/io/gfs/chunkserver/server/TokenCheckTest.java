package io.gfs.chunkserver.server;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gfs.common.security.AccessKey;
import io.gfs.common.security.AccessMode;
import io.gfs.common.security.AccessToken;
import io.gfs.common.security.TokenVerifier;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 4 with issue 7: a shadow master's keys let a token read, never write or order, whatever its mode bits say. */
class TokenCheckTest {
  private static final long NOW = 1_000_000;
  private final AccessKey masterKey = new AccessKey(1, new byte[32], NOW + 60_000);
  private final AccessKey shadowKey = new AccessKey(2, filled(7), NOW + 60_000);

  private TokenCheck check() {
    TokenCheck check = new TokenCheck(new TokenVerifier(true), () -> NOW);
    check.verifier().accept(List.of(masterKey), NOW);
    check.shadowReadKeys().accept(List.of(shadowKey), NOW);
    return check;
  }

  private static ByteBuffer token(AccessKey key, AccessMode mode, long handle) {
    return ByteBuffer.wrap(AccessToken.of(key.keyId(), NOW + 30_000, "alice", mode, handle).sign(key));
  }

  @Test
  void aShadowTokenReadsItsChunk() {
    TokenCheck check = check();
    assertDoesNotThrow(() -> check.check(token(shadowKey, AccessMode.READ, 5), 5, AccessMode.READ, "read"));
  }

  @Test
  void aShadowTokenNeverWritesNorOrdersEvenWhenItsBitsSaySo() {
    TokenCheck check = check();
    for (AccessMode claimed : AccessMode.values()) {
      ByteBuffer token = token(shadowKey, claimed, 5);
      for (AccessMode wanted : List.of(AccessMode.WRITE, AccessMode.MASTER)) {
        GfsException e = assertThrows(GfsException.class, () -> check.check(token, 5, wanted, "write"));
        assertEquals(ErrorCode.INVALID_TOKEN, e.getCode());
      }
      GfsException push = assertThrows(GfsException.class, () -> check.checkAny(token, AccessMode.WRITE, "pushData"));
      assertEquals(ErrorCode.INVALID_TOKEN, push.getCode());
    }
  }

  @Test
  void aShadowTokenForAnotherChunkOrFromAnUnknownKeyIsRefused() {
    TokenCheck check = check();
    GfsException other = assertThrows(GfsException.class,
        () -> check.check(token(shadowKey, AccessMode.READ, 6), 5, AccessMode.READ, "read"));
    assertEquals(ErrorCode.INVALID_TOKEN, other.getCode());
    AccessKey stranger = new AccessKey(3, filled(9), NOW + 60_000);
    assertThrows(GfsException.class,
        () -> check.check(token(stranger, AccessMode.READ, 5), 5, AccessMode.READ, "read"));
  }

  @Test
  void theMastersTokensStillWrite() {
    TokenCheck check = check();
    assertDoesNotThrow(() -> check.check(token(masterKey, AccessMode.WRITE, 5), 5, AccessMode.WRITE, "write"));
    assertDoesNotThrow(() -> check.checkAny(token(masterKey, AccessMode.WRITE, 5), AccessMode.WRITE, "pushData"));
  }

  private static byte[] filled(int value) {
    byte[] secret = new byte[32];
    java.util.Arrays.fill(secret, (byte) value);
    return secret;
  }
}
