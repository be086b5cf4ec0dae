package io.gfs.master.oplog;

import io.gfs.master.state.ImageSink;
import io.gfs.master.state.PermissionStatus;
import io.gfs.master.state.StateImage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of a format-4 and format-5 checkpoint (issue 6, restart speed): each distinct owner/group/mode written once
 * in a table and referred to by index; a file written as the index of its directory (directories come first, parents
 * first) plus its own name instead of its full path; a file's chunk handles as a count and the raw longs; each chunk's
 * handle and version, and since format 5 a floor of its length (LogRecord.ChunkLengths) and whether the log holds it.
 * Read back through {@link CheckpointInput}'s buffered, checksummed pass straight into an {@link ImageSink}.
 */
final class CompactImageFormat {
  /** A permission index meaning "none" (images of masters before permissions). */
  private static final int NO_PERMISSION = -1;
  /** A directory index meaning "the name is the full path" (a file whose directory the image does not list). */
  private static final int FULL_PATH = -1;
  /** Format 5: a chunk's length field has this bit set when the op log holds the length too (lengths are < 2^31). */
  private static final int LENGTH_LOGGED = Integer.MIN_VALUE;
  private static final int COUNT_MAX = 100_000_000;
  /** Longest path or name read; the same bound as the op log's strings. */
  private static final int STRING_BYTES_MAX = 16 * 1024;

  private CompactImageFormat() {}

  static void write(DataOutputStream out, StateImage image) throws IOException {
    out.writeLong(image.nextHandle());
    PermissionTable permissions = new PermissionTable();
    image.directories().forEach(d -> permissions.add(d.permission()));
    image.forEachFilePermission(permissions::add);
    permissions.write(out);
    out.writeInt(image.directories().size());
    for (StateImage.Directory d : image.directories()) {
      RecordCodec.writeString(out, d.path());
      out.writeLong(d.mtimeMillis());
      out.writeLong(d.accessTimeMillis());
      out.writeInt(permissions.number(d.permission()));
    }
    out.writeInt(image.files().size());
    // Straight from the captured nodes (issue 6): a name's bytes are written as they are, as writeString would write
    // the name's String, and the handles from one reused array; no record or String per file.
    image.<IOException>sendFilesTo((directory, name, nameOffset, nameLength, replication, mtimeMillis,
        accessTimeMillis, permission, handles, handleCount) -> {
      out.writeInt(directory); // -1 (FULL_PATH): the name is the full path
      out.writeInt(nameLength);
      out.write(name, nameOffset, nameLength);
      out.writeInt(replication);
      out.writeLong(mtimeMillis);
      out.writeLong(accessTimeMillis);
      out.writeInt(permissions.number(permission));
      out.writeInt(handleCount);
      for (int i = 0; i < handleCount; i++) {
        out.writeLong(handles[i]);
      }
    });
    out.writeInt(image.chunks().size());
    image.<IOException>sendChunksTo((handle, version, lengthBytes, lengthLogged) -> {
      out.writeLong(handle);
      out.writeLong(version);
      out.writeInt(lengthBytes | (lengthLogged ? LENGTH_LOGGED : 0));
    });
    out.writeInt(image.policies().size());
    for (StateImage.DirectoryPolicy p : image.policies()) {
      RecordCodec.writeString(out, p.path());
      out.writeInt(p.replication());
      out.writeLong(p.gcRetentionMillis());
    }
  }

  /**
   * Each distinct owner/group/mode numbered in the order first met. The last one looked up is remembered by identity:
   * the state interns permissions and a directory's files mostly share one, so a million files cost few hash lookups.
   */
  private static final class PermissionTable {
    private final Map<PermissionStatus, Integer> numbers = new LinkedHashMap<>();
    private PermissionStatus lastAdded;
    private PermissionStatus last;
    private int lastNumber = NO_PERMISSION;

    void add(PermissionStatus p) {
      if (p != null && p != lastAdded) {
        numbers.putIfAbsent(p, numbers.size());
        lastAdded = p;
      }
    }

    int number(PermissionStatus p) {
      if (p == null) {
        return NO_PERMISSION;
      }
      if (p != last) {
        Integer n = numbers.get(p);
        if (n == null) {
          throw new IllegalStateException("permission " + p + " missing from the table");
        }
        last = p;
        lastNumber = n;
      }
      return lastNumber;
    }

    void write(DataOutputStream out) throws IOException {
      out.writeInt(numbers.size());
      for (PermissionStatus p : numbers.keySet()) {
        RecordCodec.writeString(out, p.owner());
        RecordCodec.writeString(out, p.group());
        out.writeShort(p.permission());
      }
    }
  }

  /**
   * Streams the body into the sink: no record per file and one reused handle array (restart speed, issue 6). The
   * caller checks the trailer before {@link ImageSink#end}.
   */
  static void read(CheckpointInput in, int format, ImageSink sink) throws IOException {
    sink.nextHandle(in.readLong());
    List<PermissionStatus> permissions = new ArrayList<>();
    for (int i = count(in); i > 0; i--) {
      permissions.add(new PermissionStatus(in.readString(STRING_BYTES_MAX), in.readString(STRING_BYTES_MAX),
          in.readShort()));
    }
    int directoryCount = count(in);
    for (int i = 0; i < directoryCount; i++) {
      String path = in.readString(STRING_BYTES_MAX);
      long mtimeMillis = in.readLong();
      long accessTimeMillis = in.readLong();
      sink.directory(path, mtimeMillis, permission(in, permissions), accessTimeMillis);
    }
    long[] handles = new long[1];
    int fileCount = count(in);
    sink.expectFiles(fileCount);
    for (int i = fileCount; i > 0; i--) {
      handles = readFile(in, directoryCount, permissions, handles, sink);
    }
    boolean withLengths = format >= 5;
    for (int i = count(in); i > 0; i--) {
      long handle = in.readLong();
      long version = in.readLong();
      int length = withLengths ? in.readInt() : 0;
      sink.chunk(handle, version, length & ~LENGTH_LOGGED, (length & LENGTH_LOGGED) != 0);
    }
    for (int i = count(in); i > 0; i--) {
      sink.policy(in.readString(STRING_BYTES_MAX), in.readInt(), in.readLong());
    }
  }

  /** One file into the sink; returns the handle array to reuse (grown when a file had more chunks). */
  private static long[] readFile(CheckpointInput in, int directoryCount, List<PermissionStatus> permissions,
      long[] handles, ImageSink sink) throws IOException {
    int parent = in.readInt();
    if (parent < FULL_PATH || parent >= directoryCount) {
      throw new IOException("directory index " + parent + " outside [-1, " + directoryCount + ")");
    }
    String name = in.readString(STRING_BYTES_MAX);
    int replication = in.readInt();
    long mtimeMillis = in.readLong();
    long accessTimeMillis = in.readLong();
    PermissionStatus permission = permission(in, permissions);
    int chunkCount = in.readInt();
    if (chunkCount < 0 || chunkCount > COUNT_MAX) {
      throw new IOException("chunk count " + chunkCount + " of " + name + " outside [0, " + COUNT_MAX + "]");
    }
    long[] into = handles;
    for (int j = 0; j < chunkCount; j++) {
      if (j == into.length) {
        into = Arrays.copyOf(into, into.length * 2); // grown as read, never sized by the count alone
      }
      into[j] = in.readLong();
    }
    if (parent == FULL_PATH) {
      sink.file(name, replication, mtimeMillis, accessTimeMillis, permission, into, chunkCount);
    } else {
      sink.file(parent, name, replication, mtimeMillis, accessTimeMillis, permission, into, chunkCount);
    }
    return into;
  }

  private static PermissionStatus permission(CheckpointInput in, List<PermissionStatus> permissions)
      throws IOException {
    int index = in.readInt();
    if (index < NO_PERMISSION || index >= permissions.size()) {
      throw new IOException("permission index " + index + " outside [-1, " + permissions.size() + ")");
    }
    return index == NO_PERMISSION ? null : permissions.get(index);
  }

  private static int count(CheckpointInput in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > COUNT_MAX) {
      throw new IOException("count " + n + " outside [0, " + COUNT_MAX + "]");
    }
    return n;
  }
}
