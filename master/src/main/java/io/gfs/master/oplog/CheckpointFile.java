package io.gfs.master.oplog;

import io.gfs.master.state.ImageSink;
import io.gfs.master.state.StateImage;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * One checkpoint file [0052-0054]: magic (which names the format version), the last sequence number it covers, the
 * state image, and a trailer with the CRC32C of everything before it. Written to a .tmp name, forced, renamed and
 * the directory forced, so a crash leaves either the old set of checkpoints or the new one; a torn or bit-rotted
 * checkpoint fails its CRC and is skipped. Read in two passes (issue 6, restart speed): {@link #verify} checks the CRC
 * before anything is used, {@link #load} then streams the content into the state with no image in between. A checkpoint of a format this master does not know (a newer master's) is
 * refused with {@link UnknownFormatException}: recovery stops rather than fall back to older metadata.
 */
public final class CheckpointFile {
  /** Format 5: format 4 with a floor of each chunk's length ({@link CompactImageFormat}). */
  private static final byte[] MAGIC = "GFSCKPT5".getBytes(StandardCharsets.US_ASCII);
  /** Format 4: a permission table, files by directory index and name ({@link CompactImageFormat}; issue 6). */
  private static final byte[] MAGIC_V4 = "GFSCKPT4".getBytes(StandardCharsets.US_ASCII);
  /** Format 3 added directory policies after the chunks; still read. */
  private static final byte[] MAGIC_V3 = "GFSCKPT3".getBytes(StandardCharsets.US_ASCII);
  /** Every format's magic starts so; the last byte is the version. */
  private static final String MAGIC_PREFIX = "GFSCKPT";
  /** The versions {@link #read} understands, for the refusal's message. */
  private static final String VERSIONS_READ = "1 to 5";
  /** Format 2 added owner, group, permission and access time to every directory and file; still read. */
  private static final byte[] MAGIC_V2 = "GFSCKPT2".getBytes(StandardCharsets.US_ASCII);
  /** Format 1 is still read: its nodes take their parent's owner and group and default permissions. */
  private static final byte[] MAGIC_V1 = "GFSCKPT1".getBytes(StandardCharsets.US_ASCII);
  private static final int TRAILER_BYTES = 4;
  /** The first format {@link CompactImageFormat} reads. */
  private static final int FORMAT_COMPACT = 4;
  private static final int COUNT_MAX = 100_000_000;

  private CheckpointFile() {}

  /** What a valid checkpoint holds. */
  public record Loaded(long lastSequence, StateImage image) {}

  /** A checkpoint whose checksum held: its format version (1 to 5) and the last sequence number it covers. */
  public record Verified(Path file, int format, long lastSequence) {}

  /**
   * A checkpoint whose checksum holds but whose content does not load (a writer's bug, or a file changed between the
   * two passes): skipped like a corrupt one, and the state it was loading into is thrown away.
   */
  public static final class MalformedException extends IOException {
    private static final long serialVersionUID = 1L;

    MalformedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A gfs checkpoint in a format this master cannot read (written by a newer master): never skipped silently. */
  public static final class UnknownFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    UnknownFormatException(String message) {
      super(message);
    }
  }

  /** Writes the checkpoint durably and returns its final path. */
  public static Path write(Path dir, long lastSequence, StateImage image) throws IOException {
    Path target = MetaFiles.checkpoint(dir, lastSequence);
    Path tmp = target.resolveSibling(target.getFileName() + MetaFiles.TMP_SUFFIX);
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      CRC32C crc = new CRC32C();
      OutputStream raw = Channels.newOutputStream(channel);
      // Buffer before the checksum: the CRC then runs over large blocks, not byte by byte.
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new CheckedOutputStream(raw, crc),
          CheckpointInput.BUFFER_BYTES));
      out.write(MAGIC);
      out.writeLong(lastSequence);
      CompactImageFormat.write(out, image);
      out.flush();
      ByteBuffer trailer = ByteBuffer.allocate(TRAILER_BYTES).putInt((int) crc.getValue());
      raw.write(trailer.array());
      raw.flush();
      channel.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    MetaFiles.syncDirectory(dir);
    return target;
  }

  /** Reads and verifies a checkpoint; IOException when it is incomplete, corrupt or not a checkpoint. */
  public static Loaded read(Path file) throws IOException {
    Verified checkpoint = verify(file);
    StateImage.Builder image = new StateImage.Builder();
    load(checkpoint, image);
    return new Loaded(checkpoint.lastSequence(), image.image());
  }

  /**
   * The first of two passes: the magic and the CRC32C of the whole file, before anything in it is used. IOException
   * when it is incomplete, corrupt or not a checkpoint; {@link UnknownFormatException} for a newer master's format.
   */
  public static Verified verify(Path file) throws IOException {
    long size = Files.size(file);
    if (size < MAGIC.length + 8 + TRAILER_BYTES) {
      throw new IOException(file + ": " + size + " bytes is too short for a checkpoint");
    }
    byte[] head = new byte[MAGIC.length + Long.BYTES];
    try (InputStream in = Files.newInputStream(file)) {
      in.readNBytes(head, 0, head.length);
    }
    byte[] magic = Arrays.copyOf(head, MAGIC.length);
    String magicText = new String(magic, StandardCharsets.US_ASCII);
    boolean known = Arrays.equals(magic, MAGIC) || Arrays.equals(magic, MAGIC_V4) || Arrays.equals(magic, MAGIC_V3)
        || Arrays.equals(magic, MAGIC_V2) || Arrays.equals(magic, MAGIC_V1);
    // A version digit we do not know is a newer master's file; any other damage is corruption (skipped).
    if (!known && magicText.startsWith(MAGIC_PREFIX) && Character.isDigit(magicText.charAt(MAGIC_PREFIX.length()))) {
      throw new UnknownFormatException(file + ": checkpoint format '" + magicText.substring(MAGIC_PREFIX.length())
          + "' is not one this master reads (formats " + VERSIONS_READ + "): it was written by a newer master."
          + " Run that version, or move this file away to recover from an older checkpoint and the log");
    }
    if (!known) {
      throw new IOException(file + ": not a gfs checkpoint");
    }
    verify(file, size);
    return new Verified(file, magic[MAGIC.length - 1] - '0', ByteBuffer.wrap(head, MAGIC.length, Long.BYTES)
        .getLong());
  }

  /**
   * The second pass: streams a verified checkpoint into the sink, formats 4 and 5 as they are parsed (the CRC is
   * checked again on the way: the file must not have changed since {@link #verify}), older formats through an image. A
   * failure here ({@link MalformedException}, or an IOException reading) leaves the sink half-filled: throw its state
   * away.
   */
  public static void load(Verified checkpoint, ImageSink sink) throws IOException {
    Path file = checkpoint.file();
    try {
      if (checkpoint.format() >= FORMAT_COMPACT) {
        try (CheckpointInput in = new CheckpointInput(file, TRAILER_BYTES)) {
          in.skip(MAGIC.length + Long.BYTES);
          CompactImageFormat.read(in, checkpoint.format(), sink);
          in.verifyTrailer();
        }
        sink.end();
      } else {
        readOlder(file, checkpoint.format()).sendTo(sink);
      }
    } catch (EOFException | IllegalArgumentException | IllegalStateException e) {
      throw new MalformedException(file + ": malformed checkpoint: " + e.getMessage(), e);
    }
  }

  /** Formats 1 to 3, parsed into an image (read rarely: only until the next checkpoint is written in format 5). */
  private static StateImage readOlder(Path file, int format) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      in.skipNBytes(MAGIC.length + Long.BYTES);
      StateImage image = readImage(in, format >= 2);
      if (format == 3) {
        image = new StateImage(image.nextHandle(), image.directories(), image.files(), image.chunks(),
            readPolicies(in));
      }
      in.readInt(); // the trailer, checked by verify
      if (in.read() != -1) {
        throw new MalformedException(file + ": image does not end at the trailer", null);
      }
      return image;
    }
  }

  /** Checks the whole-file CRC before anything is parsed, in large sequential reads; returns the trailer value. */
  private static int verify(Path file, long size) throws IOException {
    CRC32C crc = new CRC32C();
    ByteBuffer buffer = ByteBuffer.allocate(CheckpointInput.BUFFER_BYTES);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long remaining = size - TRAILER_BYTES;
      while (remaining > 0) {
        buffer.clear().limit((int) Math.min(buffer.capacity(), remaining));
        int n = channel.read(buffer);
        if (n < 0) {
          throw new IOException(file + ": shrank while being verified");
        }
        crc.update(buffer.array(), 0, n);
        remaining -= n;
      }
      buffer.clear().limit(TRAILER_BYTES);
      while (buffer.hasRemaining()) {
        if (channel.read(buffer) < 0) {
          throw new IOException(file + ": shrank while being verified");
        }
      }
      int stored = buffer.flip().getInt();
      if (stored != (int) crc.getValue()) {
        throw new IOException(file + ": checkpoint CRC mismatch (incomplete or corrupt)");
      }
      return stored;
    }
  }

  private static List<StateImage.DirectoryPolicy> readPolicies(DataInputStream in) throws IOException {
    List<StateImage.DirectoryPolicy> policies = new ArrayList<>();
    for (int i = count(in); i > 0; i--) {
      policies.add(new StateImage.DirectoryPolicy(RecordCodec.readString(in), in.readInt(), in.readLong()));
    }
    return policies;
  }

  /** withAttributes: format 2 (permissions and access times), else format 1. */
  private static StateImage readImage(DataInputStream in, boolean withAttributes) throws IOException {
    long nextHandle = in.readLong();
    List<StateImage.Directory> directories = new ArrayList<>();
    for (int i = count(in); i > 0; i--) {
      String path = RecordCodec.readString(in);
      long mtime = in.readLong();
      directories.add(withAttributes ? new StateImage.Directory(path, mtime, RecordCodec.readPermission(in),
          in.readLong()) : new StateImage.Directory(path, mtime));
    }
    List<StateImage.File> files = new ArrayList<>();
    for (int i = count(in); i > 0; i--) {
      String path = RecordCodec.readString(in);
      int replication = in.readInt();
      long mtime = in.readLong();
      List<Long> handles = new ArrayList<>();
      for (int j = count(in); j > 0; j--) {
        handles.add(in.readLong());
      }
      files.add(withAttributes ? new StateImage.File(path, replication, mtime, handles, RecordCodec.readPermission(in),
          in.readLong()) : new StateImage.File(path, replication, mtime, handles));
    }
    List<StateImage.Chunk> chunks = new ArrayList<>();
    for (int i = count(in); i > 0; i--) {
      chunks.add(new StateImage.Chunk(in.readLong(), in.readLong()));
    }
    return new StateImage(nextHandle, directories, files, chunks);
  }

  private static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > COUNT_MAX) {
      throw new IOException("count " + n + " outside [0, " + COUNT_MAX + "]");
    }
    return n;
  }
}
