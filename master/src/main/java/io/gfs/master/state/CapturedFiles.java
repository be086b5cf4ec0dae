package io.gfs.master.state;

import io.gfs.common.Check;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;
import java.util.function.Consumer;

/**
 * The files of a checkpoint image captured in primitive columns (issue 6: a checkpoint while serving). Taking the
 * image holds the journal's barrier, which stops every mutation, so the capture keeps only references and primitives:
 * the file's array (name bytes, access time and chunk handles, see {@link FileNode}) is kept as it is, no name is
 * decoded. The checkpoint writer then reads the name bytes and handles straight from those arrays ({@link #sendTo});
 * {@link #get} builds a record with its path only for other readers (tests, tools). Safe because every captured value
 * is immutable: permissions are immutable records, and a file's array is replaced on change, never written into.
 * Unmodifiable.
 */
final class CapturedFiles extends AbstractList<StateImage.File> implements RandomAccess {
  private static final int INITIAL_CAPACITY = 16;
  /** Presized columns at most this long; a bigger namespace grows them (the count is only a hint). */
  private static final int PRESIZE_MAX = 1 << 24;
  /** The image's directories, by the index files refer to. */
  private final List<StateImage.Directory> directories;
  private int size;
  private int[] directory;
  private int[] replication;
  private long[] mtimeMillis;
  private PermissionStatus[] permission;
  private byte[][] fileData;
  private boolean sealed;

  /**
   * directories: filled by the caller as it walks; a file refers only to directories listed before it.
   * expectedFiles: a sizing hint, so a million files are not copied through twenty doublings while mutations wait.
   */
  CapturedFiles(List<StateImage.Directory> directories, long expectedFiles) {
    this.directories = directories;
    int capacity = (int) Math.max(INITIAL_CAPACITY, Math.min(PRESIZE_MAX, expectedFiles));
    directory = new int[capacity];
    replication = new int[capacity];
    mtimeMillis = new long[capacity];
    permission = new PermissionStatus[capacity];
    fileData = new byte[capacity][];
  }

  void add(int directoryIndex, FileNode file) {
    // Not Check: its varargs would box and allocate per file while every mutation waits.
    if (sealed || directoryIndex < 0 || directoryIndex >= directories.size()) {
      throw new IllegalStateException("file in directory " + directoryIndex + " of " + directories.size()
          + (sealed ? " after the capture was sealed" : ""));
    }
    if (size == directory.length) {
      grow();
    }
    directory[size] = directoryIndex;
    replication[size] = file.replication;
    mtimeMillis[size] = file.mtimeMillis(); // before the array: see FileNode.accessTimeMillis
    permission[size] = file.permission();
    fileData[size] = file.dataArray();
    size++;
  }

  /** No more files: from here on the list is only read (and may be handed to another thread). */
  CapturedFiles seal() {
    sealed = true;
    return this;
  }

  private void grow() {
    int capacity = directory.length * 2;
    directory = Arrays.copyOf(directory, capacity);
    replication = Arrays.copyOf(replication, capacity);
    mtimeMillis = Arrays.copyOf(mtimeMillis, capacity);
    permission = Arrays.copyOf(permission, capacity);
    fileData = Arrays.copyOf(fileData, capacity);
  }

  /**
   * Gives every file to the sink in order, its name as the node's bytes where those are already UTF-8 (every name
   * without a surrogate) and one reused handle array: nothing is allocated per such file.
   */
  <E extends Exception> void sendTo(ImageFileSink<E> sink) throws E {
    Check.state(sealed, "captured files read before the capture ended");
    long[] handles = new long[4];
    for (int i = 0; i < size; i++) {
      byte[] data = fileData[i];
      int count = FileNode.handleCount(data);
      if (count > handles.length) {
        handles = new long[Math.max(count, handles.length * 2)];
      }
      FileNode.handlesInto(data, handles);
      int nameOffset = FileNode.nameOffset(data);
      int nameLength = FileNode.nameLength(data);
      long accessTimeMillis = FileNode.accessTimeMillis(data, mtimeMillis[i]);
      if (NameBytes.isUtf8(data, nameOffset, nameLength)) {
        sink.file(directory[i], data, nameOffset, nameLength, replication[i], mtimeMillis[i], accessTimeMillis,
            permission[i], handles, count);
      } else {
        byte[] utf8 = NameBytes.toUtf8(data, nameOffset, nameLength);
        sink.file(directory[i], utf8, 0, utf8.length, replication[i], mtimeMillis[i], accessTimeMillis,
            permission[i], handles, count);
      }
    }
  }

  /** Each file's permission in order (null for none), without building its record. */
  void forEachPermission(Consumer<PermissionStatus> action) {
    Check.state(sealed, "captured files read before the capture ended");
    for (int i = 0; i < size; i++) {
      action.accept(permission[i]);
    }
  }

  @Override
  public StateImage.File get(int index) {
    Check.state(sealed, "captured files read before the capture ended");
    Check.argument(index >= 0 && index < size, "index %s outside [0, %s)", index, size);
    String parent = directories.get(directory[index]).path();
    byte[] data = fileData[index];
    String name = FileNode.name(data);
    String path = parent.equals("/") ? "/" + name : parent + "/" + name;
    return new StateImage.File(path, replication[index], mtimeMillis[index],
        FileNode.handleView(FileNode.handles(data)), permission[index],
        FileNode.accessTimeMillis(data, mtimeMillis[index]));
  }

  @Override
  public int size() {
    return size;
  }
}
