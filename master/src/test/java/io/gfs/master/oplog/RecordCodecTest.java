package io.gfs.master.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.master.state.LogRecord;
import io.gfs.master.state.PermissionStatus;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
  static final List<LogRecord> EVERY_KIND = List.of(
      new LogRecord.Mkdir("/a/b", 11),
      new LogRecord.Create("/a/b/ü-file", 3, 12, true, false),
      new LogRecord.Mkdir("/a/c", 11, new PermissionStatus("alice", "staff", (short) 0700)),
      new LogRecord.Create("/a/c/f", 2, 12, false, true, new PermissionStatus("bob", "ünïcode", (short) 01777)),
      new LogRecord.SetPermission("/a/c/f", (short) 0),
      new LogRecord.SetOwner("/a/c/f", "carol", null),
      new LogRecord.SetOwner("/a/c/f", null, "wheel"),
      new LogRecord.SetTimes("/a/c/f", -1, 1234),
      new LogRecord.SetReplication("/a/c/f", 5),
      new LogRecord.Concat("/a/c/f", List.of("/a/c/g", "/a/c/h"), 99),
      new LogRecord.Delete("/a", true),
      new LogRecord.Rename("/x", "/y/z", 13),
      new LogRecord.AddChunk("/y/z", 4, 99, 1, 14),
      new LogRecord.SetVersion(99, 7),
      new LogRecord.Snapshot("/y", "/y/.snapshot/s1", 15),
      new LogRecord.SetPolicy("/tmp", 1, 0),
      new LogRecord.SetPolicy("/keep", -1, -1),
      new LogRecord.CopyOnWrite("/y/z", 4, 99, 100, 7, 16),
      new LogRecord.AbandonChunk("/y/z", 5, 101),
      new LogRecord.ChunkLengths(new long[] {99, 100}, new int[] {64 << 20, 5}),
      new LogRecord.NewTerm(3, 17),
      new LogRecord.Requested(new io.gfs.master.state.RetryCache.Key(-1, 2, 3), 18,
          new LogRecord.Create("/r", 1, 18, false, true, new PermissionStatus("dave", "ops", (short) 0640))));

  @Test
  void everyKindRoundTrips() throws IOException {
    long sequence = 1;
    for (LogRecord record : EVERY_KIND) {
      LogEntry entry = new LogEntry(sequence++, record);
      byte[] frame = RecordCodec.frame(entry);
      ByteBuffer b = ByteBuffer.wrap(frame);
      int length = b.getInt();
      b.getInt();
      assertEquals(frame.length - RecordCodec.HEADER_BYTES, length);
      assertEquals(entry, RecordCodec.decode(Arrays.copyOfRange(frame, RecordCodec.HEADER_BYTES, frame.length)));
    }
    assertEquals(java.util.EnumSet.allOf(LogRecord.Kind.class),
        EVERY_KIND.stream().map(LogRecord::kind).collect(java.util.stream.Collectors.toCollection(
            () -> java.util.EnumSet.noneOf(LogRecord.Kind.class))), "a new kind needs a case here");
  }

  /** The op log encodes outside its lock and seals inside it: the frame must be the one frame() always wrote. */
  @Test
  void aSealedFrameIsByteForByteTheFrameOfTheEntry() throws IOException {
    long sequence = 1L << 40;
    for (LogRecord record : EVERY_KIND) {
      ByteArrayOutputStream payload = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(payload)) {
        out.writeLong(sequence);
        RecordCodec.write(out, record);
      }
      byte[] expectedPayload = payload.toByteArray();
      ByteBuffer expected = ByteBuffer.allocate(RecordCodec.HEADER_BYTES + expectedPayload.length);
      expected.putInt(expectedPayload.length).putInt(io.gfs.common.Crc32c.of(expectedPayload, 0,
          expectedPayload.length)).put(expectedPayload);
      byte[] unsealed = RecordCodec.unsealedFrame(record);
      assertEquals(expected.capacity(), unsealed.length, record.toString());
      org.junit.jupiter.api.Assertions.assertArrayEquals(expected.array(), RecordCodec.seal(unsealed, sequence),
          record.toString());
      org.junit.jupiter.api.Assertions.assertArrayEquals(expected.array(),
          RecordCodec.frame(new LogEntry(sequence, record)), record.toString());
      sequence++;
    }
  }

  @Test
  void aRecordOverThePayloadLimitIsRefusedBeforeItIsSealed() {
    String longPath = "/" + "p".repeat(15_000);
    List<String> sources = java.util.Collections.nCopies(5, longPath);
    assertThrows(IllegalArgumentException.class,
        () -> RecordCodec.unsealedFrame(new LogRecord.Concat("/t", sources, 1)));
  }

  @Test
  void recordsOfAnOlderMasterWithoutPermissionsStillDecode() throws IOException {
    ByteArrayOutputStream mkdir = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(mkdir)) {
      out.writeLong(7);
      out.writeByte(LogRecord.Kind.MKDIR.code);
      RecordCodec.writeString(out, "/old");
      out.writeLong(55);
    }
    assertEquals(new LogEntry(7, new LogRecord.Mkdir("/old", 55, null)), RecordCodec.decode(mkdir.toByteArray()));
    ByteArrayOutputStream create = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(create)) {
      out.writeLong(8);
      out.writeByte(LogRecord.Kind.CREATE.code);
      RecordCodec.writeString(out, "/old/f");
      out.writeInt(3);
      out.writeLong(56);
      out.writeBoolean(false);
      out.writeBoolean(true);
    }
    assertEquals(new LogEntry(8, new LogRecord.Create("/old/f", 3, 56, false, true, null)),
        RecordCodec.decode(create.toByteArray()));
  }

  @Test
  void theLargestChunkLengthsRecordFitsAndBadCountsOrLengthsDoNotDecode() throws IOException {
    int n = LogRecord.ChunkLengths.ENTRIES_MAX;
    long[] handles = new long[n];
    int[] lengths = new int[n];
    Arrays.setAll(handles, i -> Long.MAX_VALUE - i);
    Arrays.fill(lengths, Integer.MAX_VALUE);
    LogEntry largest = new LogEntry(Long.MAX_VALUE, new LogRecord.ChunkLengths(handles, lengths));
    assertEquals(largest, RecordCodec.decode(RecordCodec.payload(largest)));

    byte[] payload = RecordCodec.payload(new LogEntry(1, new LogRecord.ChunkLengths(new long[] {7}, new int[] {9})));
    byte[] zero = payload.clone();
    ByteBuffer.wrap(zero).putInt(9, 0);
    assertThrows(IOException.class, () -> RecordCodec.decode(zero));
    byte[] tooMany = payload.clone();
    ByteBuffer.wrap(tooMany).putInt(9, n + 1);
    assertThrows(IOException.class, () -> RecordCodec.decode(tooMany));
    byte[] negative = payload.clone();
    ByteBuffer.wrap(negative).putInt(21, -1);
    IOException e = assertThrows(IOException.class, () -> RecordCodec.decode(negative));
    assertTrue(e.getMessage().contains("bad chunk length 7/-1"), e.getMessage());
  }

  @Test
  void garbageDoesNotDecode() {
    assertThrows(IOException.class, () -> RecordCodec.decode(new byte[] {0, 0, 0, 0, 0, 0, 0, 1, 77}));
    assertThrows(IOException.class, () -> RecordCodec.decode(new byte[] {0, 0, 0, 0, 0, 0, 0, 1, 1, -1, -1, -1, -1}));
    byte[] payload = RecordCodec.payload(new LogEntry(1, EVERY_KIND.get(0)));
    assertThrows(IOException.class, () -> RecordCodec.decode(Arrays.copyOf(payload, payload.length + 1)));
  }
}
