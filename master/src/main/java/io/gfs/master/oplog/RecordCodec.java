package io.gfs.master.oplog;

import io.gfs.common.Crc32c;
import io.gfs.master.state.LogRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The op log's record framing: [payload length u32][CRC32C of payload u32][payload], the payload starting with the
 * sequence number and the record kind. The CRC is checked on write (pair assertion) and on replay; a bad frame at the
 * end of the last segment is a torn write, anywhere else it is corruption.
 */
public final class RecordCodec {
  public static final int HEADER_BYTES = 8;
  /** Largest payload: a rename of two maximal paths fits many times over; anything larger is garbage. */
  public static final int PAYLOAD_BYTES_MAX = 64 * 1024;
  private static final int STRING_BYTES_MAX = 16 * 1024;

  private RecordCodec() {}

  /** The whole frame for one entry. */
  public static byte[] frame(LogEntry entry) {
    byte[] payload = payload(entry);
    if (payload.length > PAYLOAD_BYTES_MAX) {
      throw new IllegalArgumentException("log record of " + payload.length + " bytes exceeds " + PAYLOAD_BYTES_MAX);
    }
    ByteBuffer frame = ByteBuffer.allocate(HEADER_BYTES + payload.length);
    frame.putInt(payload.length).putInt(Crc32c.of(payload, 0, payload.length)).put(payload);
    return frame.array();
  }

  static byte[] payload(LogEntry entry) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(entry.sequence());
      write(out, entry.record());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return bytes.toByteArray();
  }

  /** Decodes a payload whose CRC was already checked; IOException when it does not parse. */
  public static LogEntry decode(byte[] payload) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
    long sequence = in.readLong();
    LogRecord record = read(in);
    if (in.available() != 0) {
      throw new IOException("log record " + sequence + " has " + in.available() + " trailing bytes");
    }
    try {
      return new LogEntry(sequence, record);
    } catch (IllegalArgumentException e) {
      throw new IOException("bad log record: " + e.getMessage(), e);
    }
  }

  static void write(DataOutput out, LogRecord record) throws IOException {
    out.writeByte(record.kind().code);
    switch (record.kind()) {
      case MKDIR -> {
        LogRecord.Mkdir r = (LogRecord.Mkdir) record;
        writeString(out, r.path());
        out.writeLong(r.mtimeMillis());
      }
      case CREATE -> {
        LogRecord.Create r = (LogRecord.Create) record;
        writeString(out, r.path());
        out.writeInt(r.replication());
        out.writeLong(r.mtimeMillis());
        out.writeBoolean(r.overwrite());
        out.writeBoolean(r.createParent());
      }
      case DELETE -> {
        LogRecord.Delete r = (LogRecord.Delete) record;
        writeString(out, r.path());
        out.writeBoolean(r.recursive());
      }
      case RENAME -> {
        LogRecord.Rename r = (LogRecord.Rename) record;
        writeString(out, r.source());
        writeString(out, r.destination());
        out.writeLong(r.mtimeMillis());
      }
      case ADD_CHUNK -> {
        LogRecord.AddChunk r = (LogRecord.AddChunk) record;
        writeString(out, r.path());
        out.writeLong(r.chunkIndex());
        out.writeLong(r.handle());
        out.writeLong(r.version());
        out.writeLong(r.mtimeMillis());
      }
      case SET_VERSION -> {
        LogRecord.SetVersion r = (LogRecord.SetVersion) record;
        out.writeLong(r.handle());
        out.writeLong(r.version());
      }
      default -> throw new IllegalStateException("unknown record kind " + record.kind());
    }
  }

  static LogRecord read(DataInput in) throws IOException {
    LogRecord.Kind kind;
    try {
      kind = LogRecord.Kind.of(in.readUnsignedByte());
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
    try {
      return switch (kind) {
        case MKDIR -> new LogRecord.Mkdir(readString(in), in.readLong());
        case CREATE -> new LogRecord.Create(readString(in), in.readInt(), in.readLong(), in.readBoolean(),
            in.readBoolean());
        case DELETE -> new LogRecord.Delete(readString(in), in.readBoolean());
        case RENAME -> new LogRecord.Rename(readString(in), readString(in), in.readLong());
        case ADD_CHUNK -> new LogRecord.AddChunk(readString(in), in.readLong(), in.readLong(), in.readLong(),
            in.readLong());
        case SET_VERSION -> new LogRecord.SetVersion(in.readLong(), in.readLong());
      };
    } catch (IllegalArgumentException e) {
      throw new IOException("bad " + kind + " record: " + e.getMessage(), e);
    }
  }

  static void writeString(DataOutput out, String value) throws IOException {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static String readString(DataInput in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > STRING_BYTES_MAX) {
      throw new IOException("string length " + length + " outside [0, " + STRING_BYTES_MAX + "]");
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
