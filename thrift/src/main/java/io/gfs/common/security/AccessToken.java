package io.gfs.common.security;

import io.gfs.common.Check;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A chunk access token (HDFS's block token): which chunks, which access modes, for whom and until when, signed with
 * the master's key keyId. The master issues them with every chunk location and lease; chunkservers verify them with
 * the same key, received in heartbeat replies, without asking the master. The user is for audit logs only: a token is
 * a capability, whoever holds it may use it until it expires.
 *
 * <p>Wire form: version (1 byte), keyId, expiresMillis (8 each), mode bits (1), user (2-byte length + UTF-8), handle
 * count (2) + handles (8 each), then HMAC-SHA256 (32) over everything before it.
 */
public record AccessToken(long keyId, long expiresMillis, String user, int modeBits, List<Long> handles) {
  static final byte FORMAT_VERSION = 1;
  static final int MAC_BYTES = 32;
  /** Most chunk handles one token names (copyChunkLocal names two; clients get one per chunk). */
  public static final int HANDLES_MAX = 16;
  /** Longest encoded token accepted, so a garbage token cannot make a verifier allocate much. */
  public static final int ENCODED_BYTES_MAX = 1 + 8 + 8 + 1 + 2 + 4 * Caller.NAME_CHARS_MAX + 2 + 8 * HANDLES_MAX
      + MAC_BYTES;
  private static final String MAC_ALGORITHM = "HmacSHA256";
  /**
   * Every chunkserver call verifies a token: looking the algorithm up through the provider list per call showed in
   * record-append profiles, so each thread keeps one Mac and re-keys it (init resets any earlier state).
   */
  private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance(MAC_ALGORITHM);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
    }
  });

  public AccessToken {
    Check.argument(Caller.validName(user), "bad token user '%s'", user);
    Check.argument(modeBits > 0 && modeBits < 8, "mode bits %s", modeBits);
    Check.notNull(handles, "handles");
    Check.argument(!handles.isEmpty() && handles.size() <= HANDLES_MAX, "%s handles, want 1..%s", handles.size(),
        HANDLES_MAX);
    handles = List.copyOf(handles);
  }

  public static AccessToken of(long keyId, long expiresMillis, String user, AccessMode mode, long... handles) {
    List<Long> list = new ArrayList<>();
    for (long handle : handles) {
      list.add(handle);
    }
    return new AccessToken(keyId, expiresMillis, user, mode.bit(), list);
  }

  /** The encoded, signed token; key must be the one named keyId. */
  public byte[] sign(AccessKey key) {
    Check.argument(key.keyId() == keyId, "signing a token of key %s with key %s", keyId, key.keyId());
    byte[] userBytes = user.getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(1 + 8 + 8 + 1 + 2 + userBytes.length + 2 + 8 * handles.size() + MAC_BYTES);
    out.put(FORMAT_VERSION).putLong(keyId).putLong(expiresMillis).put((byte) modeBits);
    out.putShort((short) userBytes.length).put(userBytes).putShort((short) handles.size());
    handles.forEach(out::putLong);
    byte[] mac = mac(key.secret(), out.array(), out.position());
    out.put(mac);
    return out.array();
  }

  /** The token's fields, not yet verified (the key is looked up by the keyId found here). */
  public static AccessToken parse(byte[] encoded) throws TokenException {
    if (encoded == null || encoded.length == 0) {
      throw new TokenException("no access token");
    }
    if (encoded.length > ENCODED_BYTES_MAX) {
      throw new TokenException("access token of " + encoded.length + " bytes, more than " + ENCODED_BYTES_MAX);
    }
    try {
      ByteBuffer in = ByteBuffer.wrap(encoded);
      if (in.get() != FORMAT_VERSION) {
        throw new TokenException("unknown access token format " + encoded[0]);
      }
      long keyId = in.getLong();
      long expiresMillis = in.getLong();
      int modeBits = in.get();
      byte[] userBytes = new byte[in.getShort() & 0xffff];
      in.get(userBytes);
      int count = in.getShort() & 0xffff;
      if (count == 0 || count > HANDLES_MAX) {
        throw new TokenException("access token names " + count + " chunks");
      }
      List<Long> handles = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        handles.add(in.getLong());
      }
      if (in.remaining() != MAC_BYTES) {
        throw new TokenException("access token has " + in.remaining() + " signature bytes, not " + MAC_BYTES);
      }
      return new AccessToken(keyId, expiresMillis, new String(userBytes, StandardCharsets.UTF_8), modeBits, handles);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new TokenException("malformed access token: " + e.getMessage());
    }
  }

  /** Whether encoded carries a correct signature under key (constant-time comparison). */
  static boolean signedBy(byte[] encoded, AccessKey key) {
    int bodyBytes = encoded.length - MAC_BYTES;
    byte[] expected = mac(key.secret(), encoded, bodyBytes);
    byte[] actual = java.util.Arrays.copyOfRange(encoded, bodyBytes, encoded.length);
    return MessageDigest.isEqual(expected, actual);
  }

  public boolean allows(AccessMode mode) {
    return mode.allowedBy(modeBits);
  }

  private static byte[] mac(byte[] secret, byte[] data, int length) {
    try {
      Mac mac = MACS.get();
      mac.init(new SecretKeySpec(secret, MAC_ALGORITHM));
      mac.update(data, 0, length);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
    }
  }
}
