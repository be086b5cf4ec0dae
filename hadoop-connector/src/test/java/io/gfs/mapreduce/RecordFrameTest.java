package io.gfs.mapreduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordFrameTest {
  private static final int PAYLOAD_MAX = 1000;

  @Test
  void encodedFrameIsValidAndCarriesItsId() {
    byte[] payload = "hello".getBytes(StandardCharsets.UTF_8);
    byte[] frame = RecordFrame.encode(0x1234L, 7, payload, 0, payload.length);
    assertEquals(RecordFrame.HEADER_BYTES + 5, frame.length);
    assertEquals(RecordFrame.MAGIC, RecordFrame.intAt(frame, 0));
    assertEquals(5, RecordFrame.validLength(frame, 0, frame.length, PAYLOAD_MAX));
    assertEquals(0x1234L, RecordFrame.writerIdAt(frame, 0));
    assertEquals(7, RecordFrame.seqAt(frame, 0));
  }

  @Test
  void everySingleBitFlipAfterTheMagicIsRejected() {
    byte[] payload = "a record worth protecting".getBytes(StandardCharsets.UTF_8);
    byte[] frame = RecordFrame.encode(-5L, 1L << 40, payload, 0, payload.length);
    for (int bit = 32; bit < frame.length * 8; bit++) {
      byte[] flipped = frame.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      assertEquals(-1, RecordFrame.validLength(flipped, 0, flipped.length, PAYLOAD_MAX), "bit " + bit);
    }
  }

  @Test
  void truncatedOrOversizedFramesAreRejected() {
    byte[] payload = new byte[100];
    byte[] frame = RecordFrame.encode(1, 2, payload, 0, payload.length);
    assertEquals(-1, RecordFrame.validLength(frame, 0, frame.length - 1, PAYLOAD_MAX));
    assertEquals(-1, RecordFrame.validLength(frame, 0, frame.length, 99));
    assertEquals(-1, RecordFrame.claimedFrameBytes(frame, 0, 99));
    assertEquals(frame.length, RecordFrame.claimedFrameBytes(frame, 0, 100));
  }

  @Test
  void emptyPayloadsAreValid() {
    byte[] frame = RecordFrame.encode(1, 0, new byte[0], 0, 0);
    assertEquals(0, RecordFrame.validLength(frame, 0, frame.length, PAYLOAD_MAX));
  }

  @Test
  void frameMaxIsAQuarterOfTheChunk() {
    assertEquals(16L << 20, RecordFrame.frameBytesMax(64L << 20));
    assertEquals(256 * 1024, RecordFrame.frameBytesMax(1 << 20));
    assertThrows(IllegalArgumentException.class, () -> RecordFrame.frameBytesMax(100));
  }

  @Test
  void theMagicCannotOccurInUtf8Text() {
    // 0xF5 is never a byte of well-formed UTF-8, so text payloads hold no false magic.
    String text = "ÿ€𝄞 text ﻿ 日本語";
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      assertEquals(false, b == (byte) 0xF5);
    }
  }
}
