package io.gfs.master.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gfs.master.state.LogRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
  static final List<LogRecord> EVERY_KIND = List.of(
      new LogRecord.Mkdir("/a/b", 11),
      new LogRecord.Create("/a/b/ü-file", 3, 12, true, false),
      new LogRecord.Delete("/a", true),
      new LogRecord.Rename("/x", "/y/z", 13),
      new LogRecord.AddChunk("/y/z", 4, 99, 1, 14),
      new LogRecord.SetVersion(99, 7));

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
    assertEquals(LogRecord.Kind.values().length, EVERY_KIND.size(), "a new kind needs a case here");
  }

  @Test
  void garbageDoesNotDecode() {
    assertThrows(IOException.class, () -> RecordCodec.decode(new byte[] {0, 0, 0, 0, 0, 0, 0, 1, 77}));
    assertThrows(IOException.class, () -> RecordCodec.decode(new byte[] {0, 0, 0, 0, 0, 0, 0, 1, 1, -1, -1, -1, -1}));
    byte[] payload = RecordCodec.payload(new LogEntry(1, EVERY_KIND.get(0)));
    assertThrows(IOException.class, () -> RecordCodec.decode(Arrays.copyOf(payload, payload.length + 1)));
  }
}
