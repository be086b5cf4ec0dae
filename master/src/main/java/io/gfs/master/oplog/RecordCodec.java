package io.gfs.master.oplog;

import io.gfs.common.Check;
import io.gfs.common.Crc32c;
import io.gfs.master.state.LogRecord;
import io.gfs.master.state.PermissionStatus;
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
import java.util.ArrayList;
import java.util.List;

/**
 * The op log's record framing: [payload length u32][CRC32C of payload u32][payload], the payload starting with the
 * sequence number and the record kind. The CRC is checked on write (pair assertion) and on replay; a bad frame at the
 * end of the last segment is a torn write, anywhere else it is corruption.
 *
 * <p>Compatibility: a field added to an existing kind is appended at the end of its body and read only when the
 * payload has bytes left, so records written by an older master still decode (MKDIR and CREATE gained permissions
 * this way). A new kind gets a new code.
 */
public final class RecordCodec {
  public static final int HEADER_BYTES = 8;
  /** Largest payload: a rename of two maximal paths fits many times over; anything larger is garbage. */
  public static final int PAYLOAD_BYTES_MAX = 64 * 1024;
  private static final int STRING_BYTES_MAX = 16 * 1024;
  /** Most strings in one list field (concat sources); the payload limit binds long before. */
  private static final int STRINGS_COUNT_MAX = PAYLOAD_BYTES_MAX / 5;

  private RecordCodec() {}

  /** The whole frame for one entry. */
  public static byte[] frame(LogEntry entry) {
    return seal(unsealedFrame(entry.record()), entry.sequence());
  }

  /**
   * A record's frame with its length, CRC and sequence still to fill in by {@link #seal}: the op log encodes a record
   * before it takes its lock, so that many callers encode at once and the lock covers only the sequence and the CRC.
   */
  public static byte[] unsealedFrame(LogRecord record) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(0); // the header: payload length and CRC, sealed later
      out.writeLong(0); // the sequence, sealed later
      write(out, record);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    byte[] frame = bytes.toByteArray();
    int payloadBytes = frame.length - HEADER_BYTES;
    if (payloadBytes > PAYLOAD_BYTES_MAX) {
      throw new IllegalArgumentException("log record of " + payloadBytes + " bytes exceeds " + PAYLOAD_BYTES_MAX);
    }
    return frame;
  }

  /** Fills in an unsealed frame's sequence, payload length and CRC (the frame {@link #frame} makes); returns it. */
  public static byte[] seal(byte[] unsealed, long sequence) {
    Check.argument(unsealed.length >= HEADER_BYTES + Long.BYTES + 1, "an unsealed frame of %s bytes",
        unsealed.length);
    int payloadBytes = unsealed.length - HEADER_BYTES;
    ByteBuffer frame = ByteBuffer.wrap(unsealed);
    frame.putLong(HEADER_BYTES, sequence);
    frame.putInt(0, payloadBytes).putInt(Integer.BYTES, Crc32c.of(unsealed, HEADER_BYTES, payloadBytes));
    return unsealed;
  }

  static byte[] payload(LogEntry entry) {
    byte[] frame = frame(entry);
    return java.util.Arrays.copyOfRange(frame, HEADER_BYTES, frame.length);
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
        writePermission(out, r.permission());
      }
      case CREATE -> {
        LogRecord.Create r = (LogRecord.Create) record;
        writeString(out, r.path());
        out.writeInt(r.replication());
        out.writeLong(r.mtimeMillis());
        out.writeBoolean(r.overwrite());
        out.writeBoolean(r.createParent());
        writePermission(out, r.permission());
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
      case ABANDON_CHUNK -> {
        LogRecord.AbandonChunk r = (LogRecord.AbandonChunk) record;
        writeString(out, r.path());
        out.writeLong(r.chunkIndex());
        out.writeLong(r.handle());
      }
      default -> writeMetadata(out, record);
    }
  }

  private static void writeMetadata(DataOutput out, LogRecord record) throws IOException {
    switch (record.kind()) {
      case SET_PERMISSION -> {
        LogRecord.SetPermission r = (LogRecord.SetPermission) record;
        writeString(out, r.path());
        out.writeShort(r.permission());
      }
      case SET_OWNER -> {
        LogRecord.SetOwner r = (LogRecord.SetOwner) record;
        writeString(out, r.path());
        writeOptionalString(out, r.owner());
        writeOptionalString(out, r.group());
      }
      case SET_TIMES -> {
        LogRecord.SetTimes r = (LogRecord.SetTimes) record;
        writeString(out, r.path());
        out.writeLong(r.modificationTimeMillis());
        out.writeLong(r.accessTimeMillis());
      }
      case SET_REPLICATION -> {
        LogRecord.SetReplication r = (LogRecord.SetReplication) record;
        writeString(out, r.path());
        out.writeInt(r.replication());
      }
      case CONCAT -> {
        LogRecord.Concat r = (LogRecord.Concat) record;
        writeString(out, r.target());
        out.writeInt(r.sources().size());
        for (String source : r.sources()) {
          writeString(out, source);
        }
        out.writeLong(r.mtimeMillis());
      }
      case SNAPSHOT -> {
        LogRecord.Snapshot r = (LogRecord.Snapshot) record;
        writeString(out, r.path());
        writeString(out, r.storage());
        out.writeLong(r.mtimeMillis());
      }
      case SET_POLICY -> {
        LogRecord.SetPolicy r = (LogRecord.SetPolicy) record;
        writeString(out, r.path());
        out.writeInt(r.replication());
        out.writeLong(r.gcRetentionMillis());
      }
      case COPY_ON_WRITE -> {
        LogRecord.CopyOnWrite r = (LogRecord.CopyOnWrite) record;
        writeString(out, r.path());
        out.writeLong(r.chunkIndex());
        out.writeLong(r.oldHandle());
        out.writeLong(r.newHandle());
        out.writeLong(r.version());
        out.writeLong(r.mtimeMillis());
      }
      case CHUNK_LENGTHS -> {
        LogRecord.ChunkLengths r = (LogRecord.ChunkLengths) record;
        out.writeInt(r.handles().length);
        for (int i = 0; i < r.handles().length; i++) {
          out.writeLong(r.handles()[i]);
          out.writeInt(r.lengthsBytes()[i]);
        }
      }
      case NEW_TERM -> {
        LogRecord.NewTerm r = (LogRecord.NewTerm) record;
        out.writeLong(r.epoch());
        out.writeLong(r.startMillis());
      }
      case REQUESTED -> {
        // The wrapped mutation comes last, so its own trailing optional fields still decode.
        LogRecord.Requested r = (LogRecord.Requested) record;
        out.writeLong(r.key().clientIdHigh());
        out.writeLong(r.key().clientIdLow());
        out.writeLong(r.key().callId());
        out.writeLong(r.atMillis());
        write(out, r.mutation());
      }
      default -> throw new IllegalStateException("unknown record kind " + record.kind());
    }
  }

  /** Presence flag, then owner, group and permission bits. */
  static void writePermission(DataOutput out, PermissionStatus permission) throws IOException {
    out.writeBoolean(permission != null);
    if (permission != null) {
      writeString(out, permission.owner());
      writeString(out, permission.group());
      out.writeShort(permission.permission());
    }
  }

  static PermissionStatus readPermission(DataInput in) throws IOException {
    return in.readBoolean() ? new PermissionStatus(readString(in), readString(in), in.readShort()) : null;
  }

  private static void writeOptionalString(DataOutput out, String value) throws IOException {
    out.writeBoolean(value != null);
    if (value != null) {
      writeString(out, value);
    }
  }

  private static String readOptionalString(DataInput in) throws IOException {
    return in.readBoolean() ? readString(in) : null;
  }

  static LogRecord read(DataInputStream in) throws IOException {
    LogRecord.Kind kind;
    try {
      kind = LogRecord.Kind.of(in.readUnsignedByte());
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
    try {
      return switch (kind) {
        case MKDIR -> new LogRecord.Mkdir(readString(in), in.readLong(), trailingPermission(in));
        case CREATE -> new LogRecord.Create(readString(in), in.readInt(), in.readLong(), in.readBoolean(),
            in.readBoolean(), trailingPermission(in));
        case DELETE -> new LogRecord.Delete(readString(in), in.readBoolean());
        case RENAME -> new LogRecord.Rename(readString(in), readString(in), in.readLong());
        case ADD_CHUNK -> new LogRecord.AddChunk(readString(in), in.readLong(), in.readLong(), in.readLong(),
            in.readLong());
        case SET_VERSION -> new LogRecord.SetVersion(in.readLong(), in.readLong());
        case ABANDON_CHUNK -> new LogRecord.AbandonChunk(readString(in), in.readLong(), in.readLong());
        case SET_PERMISSION -> new LogRecord.SetPermission(readString(in), in.readShort());
        case SET_OWNER -> new LogRecord.SetOwner(readString(in), readOptionalString(in), readOptionalString(in));
        case SET_TIMES -> new LogRecord.SetTimes(readString(in), in.readLong(), in.readLong());
        case SET_REPLICATION -> new LogRecord.SetReplication(readString(in), in.readInt());
        case CONCAT -> new LogRecord.Concat(readString(in), readStrings(in), in.readLong());
        case SNAPSHOT -> new LogRecord.Snapshot(readString(in), readString(in), in.readLong());
        case SET_POLICY -> new LogRecord.SetPolicy(readString(in), in.readInt(), in.readLong());
        case COPY_ON_WRITE -> new LogRecord.CopyOnWrite(readString(in), in.readLong(), in.readLong(), in.readLong(),
            in.readLong(), in.readLong());
        case CHUNK_LENGTHS -> readChunkLengths(in);
        case NEW_TERM -> new LogRecord.NewTerm(in.readLong(), in.readLong());
        case REQUESTED -> new LogRecord.Requested(new io.gfs.master.state.RetryCache.Key(in.readLong(), in.readLong(),
            in.readLong()), in.readLong(), read(in));
      };
    } catch (IllegalArgumentException e) {
      throw new IOException("bad " + kind + " record: " + e.getMessage(), e);
    }
  }

  /** A field appended to an older kind: absent in records of older masters (the payload ends before it). */
  private static PermissionStatus trailingPermission(DataInputStream in) throws IOException {
    return in.available() > 0 ? readPermission(in) : null;
  }

  private static LogRecord.ChunkLengths readChunkLengths(DataInput in) throws IOException {
    int count = in.readInt();
    if (count <= 0 || count > LogRecord.ChunkLengths.ENTRIES_MAX) {
      throw new IOException("chunk length count " + count + " outside [1, " + LogRecord.ChunkLengths.ENTRIES_MAX + "]");
    }
    long[] handles = new long[count];
    int[] lengths = new int[count];
    for (int i = 0; i < count; i++) {
      handles[i] = in.readLong();
      lengths[i] = in.readInt();
    }
    return new LogRecord.ChunkLengths(handles, lengths);
  }

  private static List<String> readStrings(DataInput in) throws IOException {
    int count = in.readInt();
    if (count < 0 || count > STRINGS_COUNT_MAX) {
      throw new IOException("string count " + count + " outside [0, " + STRINGS_COUNT_MAX + "]");
    }
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(readString(in));
    }
    return out;
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
