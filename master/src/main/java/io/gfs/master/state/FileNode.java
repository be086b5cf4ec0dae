package io.gfs.master.state;

import io.gfs.common.Check;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A file: its name, target replication, access time and chunk handles in order. Issue 6's heap goal (64 bytes a file
 * [0044-0045]) sets the shape: the node is 32 bytes (header, modification time, permission, replication, one array)
 * and everything of variable size sits in that one immutable byte array, replaced whole on every change
 * (copy-on-write): chunks are added rarely (one per chunk size of data) while listings of the parent directory read
 * the file without its lock. The array holds
 * {@code [varint nameBytes << 1 | hasAccessTime][name][access time, 8 bytes, if it differs][handles, 8 bytes each]}.
 * A new file's access time equals its modification time and is not stored until the two differ; it is exact in
 * milliseconds either way.
 */
final class FileNode extends Node {
  private static final int HAS_ACCESS_TIME = 1;
  private static final long[] NO_HANDLES = new long[0];
  /**
   * Handles are stored big-endian at any byte offset; one view access instead of eight byte steps (a checkpoint reads
   * every handle of a million files).
   */
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  /** The replication target; setReplication changes it (re-replication toward it is background work). */
  volatile int replication;
  private volatile byte[] data;

  FileNode(String name, int replication, long mtimeMillis, PermissionStatus permission) {
    super(mtimeMillis, permission);
    this.replication = replication;
    this.data = layout(name, false, 0, NO_HANDLES, 0);
  }

  /** Checkpoint restore: the whole file in one array (no copy per access time and per chunk list). */
  FileNode(String name, int replication, long mtimeMillis, long accessTimeMillis, PermissionStatus permission,
      long[] handles, int handleCount) {
    super(mtimeMillis, permission);
    Check.argument(handleCount >= 0 && handleCount <= handles.length, "%s handles of %s", handleCount, handles.length);
    this.replication = replication;
    this.data = layout(name, accessTimeMillis != mtimeMillis, accessTimeMillis, handles, handleCount);
  }

  /** A snapshot's copy: the same immutable array (name, access time, handles) shared, nothing copied. */
  private FileNode(FileNode original) {
    super(original.mtimeMillis(), original.permission());
    this.replication = original.replication;
    this.data = original.data;
  }

  FileNode copy() {
    return new FileNode(this);
  }

  /** The handles as they are now: an immutable view of one array, never of half a change. */
  List<Long> chunkHandles() {
    return handleView(chunkHandleArray());
  }

  /** The handles as a fresh array, for a checkpoint's capture. */
  long[] chunkHandleArray() {
    return handles(data);
  }

  /**
   * The current array itself, for a checkpoint's capture: safe to keep because every change replaces it and never
   * writes into it. Callers must not modify it; {@link #handles(byte[])} and {@link #accessTimeMillis(byte[], long)}
   * read it.
   */
  byte[] dataArray() {
    return data;
  }

  int chunkCount() {
    byte[] d = data;
    return (d.length - handlesOffset(d)) / Long.BYTES;
  }

  long chunkHandle(int chunkIndex) {
    byte[] d = data;
    Check.argument(chunkIndex >= 0 && chunkIndex < (d.length - handlesOffset(d)) / Long.BYTES,
        "chunk index %s of %s", chunkIndex, (d.length - handlesOffset(d)) / Long.BYTES);
    return readLong(d, handlesOffset(d) + chunkIndex * Long.BYTES);
  }

  /** Applies ADD_CHUNK: the handle becomes the last chunk. */
  void addChunk(long handle) {
    byte[] current = data;
    byte[] next = java.util.Arrays.copyOf(current, current.length + Long.BYTES);
    writeLong(next, current.length, handle);
    data = next;
  }

  /** Applies COPY_ON_WRITE: the chunk at the index is replaced by its private copy. */
  void replaceChunk(int chunkIndex, long handle) {
    byte[] current = data;
    int offset = handlesOffset(current) + chunkIndex * Long.BYTES;
    Check.argument(chunkIndex >= 0 && offset < current.length, "chunk index %s out of range", chunkIndex);
    byte[] next = current.clone();
    writeLong(next, offset, handle);
    data = next;
  }

  /** Applies ABANDON_CHUNK: the last chunk (never held by any chunkserver) is dropped. */
  void removeLastChunk() {
    byte[] current = data;
    Check.state(current.length - handlesOffset(current) >= Long.BYTES, "no chunk to remove");
    data = java.util.Arrays.copyOf(current, current.length - Long.BYTES);
  }

  /** Concat and checkpoint restore: the handles appended, in order, in one replacement. */
  void appendChunks(List<Long> handles) {
    byte[] current = data;
    byte[] next = java.util.Arrays.copyOf(current, current.length + handles.size() * Long.BYTES);
    for (int i = 0; i < handles.size(); i++) {
      writeLong(next, current.length + i * Long.BYTES, Check.notNull(handles.get(i), "chunk handle"));
    }
    data = next;
  }

  @Override
  long accessTimeMillis() {
    // The modification time before the array: beforeMtimeChange writes them in the other order, so an array without
    // a stored access time was read before the modification time moved.
    long mtimeMillis = mtimeMillis();
    return accessTimeMillis(data, mtimeMillis);
  }

  /** The access time a captured array holds, given the file's modification time captured before it. */
  static long accessTimeMillis(byte[] d, long mtimeMillis) {
    int header = readVarint(d);
    return (header & HAS_ACCESS_TIME) == 0 ? mtimeMillis : readLong(d, varintBytes(header) + (header >>> 1));
  }

  @Override
  void setAccessTime(long millis) {
    byte[] d = data;
    int header = readVarint(d);
    boolean stored = millis != mtimeMillis();
    if (!stored && (header & HAS_ACCESS_TIME) == 0) {
      return;
    }
    data = withAccessTime(d, stored, millis);
  }

  @Override
  void beforeMtimeChange() {
    byte[] d = data;
    if ((readVarint(d) & HAS_ACCESS_TIME) == 0) {
      // The access time was the modification time; keep it before that changes.
      data = withAccessTime(d, true, mtimeMillis());
    }
  }

  @Override
  String name() {
    return name(data);
  }

  /** The name a captured array holds, decoded. */
  static String name(byte[] d) {
    return NameBytes.decode(d, nameOffset(d), nameLength(d));
  }

  /** Where a captured array's name starts; its encoded bytes ({@link NameBytes}) are [offset, +nameLength). */
  static int nameOffset(byte[] d) {
    return varintBytes(readVarint(d));
  }

  static int nameLength(byte[] d) {
    return readVarint(d) >>> 1;
  }

  @Override
  int compareToName(String key) {
    byte[] d = data;
    int header = readVarint(d);
    return NameBytes.compare(key, d, varintBytes(header), header >>> 1);
  }

  @Override
  void rename(String newName) {
    byte[] d = data;
    int header = readVarint(d);
    boolean stored = (header & HAS_ACCESS_TIME) != 0;
    long[] handles = handles(d);
    data = layout(newName, stored, stored ? accessTimeMillis(d, 0) : 0, handles, handles.length);
  }

  /** How many handles a captured array holds. */
  static int handleCount(byte[] d) {
    return (d.length - handlesOffset(d)) / Long.BYTES;
  }

  /**
   * Copies the handles a captured array holds into {@code into}, which must hold {@link #handleCount} of them (a
   * checkpoint writer reuses one array for every file); returns their count.
   */
  static int handlesInto(byte[] d, long[] into) {
    int offset = handlesOffset(d);
    int count = (d.length - offset) / Long.BYTES;
    if (into.length < count) { // not Check: its varargs would allocate per file
      throw new IllegalArgumentException(count + " handles into " + into.length);
    }
    for (int i = 0; i < count; i++) {
      into[i] = readLong(d, offset + i * Long.BYTES);
    }
    return count;
  }

  /** The handles a captured array holds. */
  static long[] handles(byte[] d) {
    int offset = handlesOffset(d);
    int count = (d.length - offset) / Long.BYTES;
    if (count == 0) {
      return NO_HANDLES;
    }
    long[] out = new long[count];
    for (int i = 0; i < count; i++) {
      out[i] = readLong(d, offset + i * Long.BYTES);
    }
    return out;
  }

  /** A new file's array, the name encoded straight into it (restore builds a million of these). */
  private static byte[] layout(String name, boolean storeAccessTime, long accessTimeMillis, long[] handles,
      int handleCount) {
    int nameBytes = NameBytes.encodedLength(name);
    int header = nameBytes << 1 | (storeAccessTime ? HAS_ACCESS_TIME : 0);
    int at = varintBytes(header);
    byte[] d = new byte[at + nameBytes + (storeAccessTime ? Long.BYTES : 0) + handleCount * Long.BYTES];
    writeVarint(d, header);
    NameBytes.encodeInto(name, d, at);
    fill(d, at + nameBytes, storeAccessTime, accessTimeMillis, handles, handleCount);
    return d;
  }

  /** The same array with the access time stored (or dropped when it equals the modification time). */
  private static byte[] withAccessTime(byte[] d, boolean store, long accessTimeMillis) {
    int header = readVarint(d);
    int nameStart = varintBytes(header);
    int nameLength = header >>> 1;
    int handlesStart = nameStart + nameLength + ((header & HAS_ACCESS_TIME) != 0 ? Long.BYTES : 0);
    int handleBytes = d.length - handlesStart;
    byte[] out = new byte[nameStart + nameLength + (store ? Long.BYTES : 0) + handleBytes];
    writeVarint(out, nameLength << 1 | (store ? HAS_ACCESS_TIME : 0)); // the flag never changes the varint's length
    System.arraycopy(d, nameStart, out, nameStart, nameLength);
    int at = nameStart + nameLength;
    if (store) {
      writeLong(out, at, accessTimeMillis);
      at += Long.BYTES;
    }
    System.arraycopy(d, handlesStart, out, at, handleBytes);
    return out;
  }

  /** Writes the access time (if stored) and the handles from offset on. */
  private static void fill(byte[] d, int offset, boolean storeAccessTime, long accessTimeMillis, long[] handles,
      int handleCount) {
    int at = offset;
    if (storeAccessTime) {
      writeLong(d, at, accessTimeMillis);
      at += Long.BYTES;
    }
    for (int i = 0; i < handleCount; i++) {
      writeLong(d, at, handles[i]);
      at += Long.BYTES;
    }
  }

  private static int handlesOffset(byte[] d) {
    int header = readVarint(d);
    return varintBytes(header) + (header >>> 1) + ((header & HAS_ACCESS_TIME) != 0 ? Long.BYTES : 0);
  }

  private static int varintBytes(int value) {
    int bytes = 1;
    for (int rest = value >>> 7; rest != 0; rest >>>= 7) {
      bytes++;
    }
    return bytes;
  }

  private static int readVarint(byte[] d) {
    int value = 0;
    for (int i = 0, shift = 0; ; i++, shift += 7) {
      int b = d[i];
      value |= (b & 0x7F) << shift;
      if (b >= 0) {
        return value;
      }
    }
  }

  private static void writeVarint(byte[] d, int value) {
    int i = 0;
    int rest = value;
    while ((rest & ~0x7F) != 0) {
      d[i++] = (byte) ((rest & 0x7F) | 0x80);
      rest >>>= 7;
    }
    d[i] = (byte) rest;
  }

  private static long readLong(byte[] d, int offset) {
    return (long) LONGS.get(d, offset);
  }

  private static void writeLong(byte[] d, int offset, long value) {
    LONGS.set(d, offset, value);
  }

  /** A read-only List view of a handle array (never mutated once published). */
  static List<Long> handleView(long[] handles) {
    return new HandleView(handles);
  }

  private static final class HandleView extends AbstractList<Long> implements RandomAccess {
    private final long[] handles;

    HandleView(long[] handles) {
      this.handles = handles;
    }

    @Override
    public Long get(int index) {
      return handles[index];
    }

    @Override
    public int size() {
      return handles.length;
    }
  }
}
