package io.gfs.chunkserver.server;

import io.gfs.common.rpc.RpcErrors;
import io.gfs.common.security.AccessMode;
import io.gfs.common.security.TokenException;
import io.gfs.common.security.TokenVerifier;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

/**
 * The chunkserver's door for chunk access tokens (issue 7): every data call and every order names the chunk it needs
 * and the mode, and is refused INVALID_TOKEN unless it carries a token the master signed for that chunk and mode that
 * has not expired. Expiry is judged on this server's wall clock against the master's (NTP-level skew applies). A read
 * may also carry a token a shadow master signed (issue 4); a shadow's keys are never consulted for anything else.
 */
final class TokenCheck {
  private final TokenVerifier verifier;
  /**
   * Issue 4: the keys shadow masters sign their READ tokens with (from their report replies). Consulted for READ
   * calls only, whatever mode bits a token carries, so a shadow can never grant a write or a master order.
   */
  private final TokenVerifier shadowReadKeys;
  private final LongSupplier wallClockMillis;

  TokenCheck(TokenVerifier verifier, LongSupplier wallClockMillis) {
    this.verifier = verifier;
    this.shadowReadKeys = new TokenVerifier(verifier.enabled());
    this.wallClockMillis = wallClockMillis;
  }

  TokenVerifier verifier() {
    return verifier;
  }

  /** Where the shadow masters' READ keys go (issue 4). */
  TokenVerifier shadowReadKeys() {
    return shadowReadKeys;
  }

  void check(ByteBuffer token, long handle, AccessMode mode, String call) throws GfsException {
    if (!verifier.enabled()) {
      return;
    }
    byte[] encoded = bytes(token);
    long now = wallClockMillis.getAsLong();
    try {
      verifier.verify(encoded, handle, mode, now);
    } catch (TokenException e) {
      if (mode == AccessMode.READ && readableWithShadowKey(encoded, handle, now)) {
        return;
      }
      throw RpcErrors.error(ErrorCode.INVALID_TOKEN, "%s of chunk %s: %s", call, handle, e.getMessage());
    }
  }

  private boolean readableWithShadowKey(byte[] encoded, long handle, long nowMillis) {
    try {
      shadowReadKeys.verify(encoded, handle, AccessMode.READ, nowMillis);
      return true;
    } catch (TokenException e) {
      return false;
    }
  }

  /** pushData: a WRITE token for any chunk (the data meets its chunk only in the write that uses it). */
  void checkAny(ByteBuffer token, AccessMode mode, String call) throws GfsException {
    if (!verifier.enabled()) {
      return;
    }
    try {
      verifier.verifyAny(bytes(token), mode, wallClockMillis.getAsLong());
    } catch (TokenException e) {
      throw RpcErrors.error(ErrorCode.INVALID_TOKEN, "%s: %s", call, e.getMessage());
    }
  }

  /** A copy the caller may keep after the call returned (the RPC layer reuses its frame buffers). */
  static byte[] bytes(ByteBuffer token) {
    if (token == null) {
      return null;
    }
    byte[] out = new byte[token.remaining()];
    token.duplicate().get(out);
    return out;
  }
}
