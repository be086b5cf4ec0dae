package io.gfs.master.state;

import java.nio.charset.StandardCharsets;

/**
 * A child's name as bytes (issue 6's heap goal [0044-0045]: a String and its array cost 48 bytes per file). Each UTF-16
 * unit is encoded on its own in 1-3 bytes (CESU-8): every String, lone surrogates included, round-trips exactly, ASCII
 * names are their ASCII bytes, and unsigned byte order equals {@link String#compareTo} order, so listings keep the
 * order they had with String keys.
 */
final class NameBytes {
  static final byte[] EMPTY = new byte[0];

  private NameBytes() {
  }

  static int encodedLength(String name) {
    int length = 0;
    for (int i = 0; i < name.length(); i++) {
      length += unitLength(name.charAt(i));
    }
    return length;
  }

  static byte[] encode(String name) {
    byte[] out = new byte[encodedLength(name)];
    encodeInto(name, out, 0);
    return out;
  }

  /** Writes the encoding at offset; returns the offset after it. */
  static int encodeInto(String name, byte[] out, int offset) {
    int at = offset;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      int bytes = unit(c);
      for (int shift = (unitLength(c) - 1) * 8; shift >= 0; shift -= 8) {
        out[at++] = (byte) (bytes >>> shift);
      }
    }
    return at;
  }

  static String decode(byte[] bytes, int offset, int length) {
    boolean ascii = true;
    for (int i = offset; i < offset + length && ascii; i++) {
      ascii = bytes[i] >= 0;
    }
    if (ascii) {
      return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
    }
    char[] out = new char[length];
    int count = 0;
    int i = offset;
    int end = offset + length;
    while (i < end) {
      int b = bytes[i] & 0xff;
      if (b < 0x80) {
        out[count++] = (char) b;
        i++;
      } else if (b < 0xE0) {
        out[count++] = (char) (((b & 0x1F) << 6) | (bytes[i + 1] & 0x3F));
        i += 2;
      } else {
        out[count++] = (char) (((b & 0x0F) << 12) | ((bytes[i + 1] & 0x3F) << 6) | (bytes[i + 2] & 0x3F));
        i += 3;
      }
    }
    return new String(out, 0, count);
  }

  /**
   * Whether bytes[offset, offset+length) are also the name's standard UTF-8, the bytes {@code String.getBytes(UTF_8)}
   * gives (the checkpoint's and the log's encoding): true unless the name holds a surrogate, which this encoding writes
   * as its own 3-byte unit (lead byte 0xED, next byte 0xA0-0xBF) where UTF-8 writes a pair as 4 bytes and a lone one as
   * '?'. Lets a checkpoint write a name's bytes as they are instead of decoding it (issue 6).
   */
  static boolean isUtf8(byte[] bytes, int offset, int length) {
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      // 0xED is only ever a lead byte (continuations are 0x80-0xBF), and a well-formed unit has its next byte.
      if (bytes[i] == (byte) 0xED && (bytes[i + 1] & 0xff) >= 0xA0) {
        return false;
      }
    }
    return true;
  }

  /** The name's standard UTF-8, exactly {@code decode(...).getBytes(UTF_8)}; a fresh array. */
  static byte[] toUtf8(byte[] bytes, int offset, int length) {
    return decode(bytes, offset, length).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The sign of key compared with the encoded name in bytes[offset, offset+length), as key.compareTo(name) would give,
   * without encoding key (lookups run per path component).
   */
  static int compare(String key, byte[] bytes, int offset, int length) {
    int at = offset;
    int end = offset + length;
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      int unitBytes = unit(c);
      for (int shift = (unitLength(c) - 1) * 8; shift >= 0; shift -= 8) {
        if (at == end) {
          return 1;
        }
        int difference = ((unitBytes >>> shift) & 0xff) - (bytes[at++] & 0xff);
        if (difference != 0) {
          return difference;
        }
      }
    }
    return at == end ? 0 : -1;
  }

  private static int unitLength(char c) {
    return c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
  }

  /** The unit's bytes packed big-endian into an int. */
  private static int unit(char c) {
    if (c < 0x80) {
      return c;
    }
    if (c < 0x800) {
      return ((0xC0 | (c >> 6)) << 8) | (0x80 | (c & 0x3F));
    }
    return ((0xE0 | (c >> 12)) << 16) | ((0x80 | ((c >> 6) & 0x3F)) << 8) | (0x80 | (c & 0x3F));
  }
}
