package io.gfs.master.state;

import io.gfs.common.Check;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * The files of a checkpoint image captured in primitive columns (issue 6: a checkpoint while serving). Taking the
 * image holds the journal's barrier, which stops every mutation; capturing references and primitives is several times
 * quicker than building a million records with their path strings, which {@link #get} does later, on the checkpoint
 * writer's thread. Safe because every captured value is immutable: names are strings, permissions immutable records,
 * and a file's array (access time and chunk handles, see {@link FileNode}) is replaced on change, never written into.
 * Unmodifiable.
 */
final class CapturedFiles extends AbstractList<StateImage.File> implements RandomAccess {
  private static final int INITIAL_CAPACITY = 16;
  /** Each directory's full path, by the index files refer to. */
  private final List<String> directoryPaths;
  private int size;
  private int[] directory = new int[INITIAL_CAPACITY];
  private String[] name = new String[INITIAL_CAPACITY];
  private int[] replication = new int[INITIAL_CAPACITY];
  private long[] mtimeMillis = new long[INITIAL_CAPACITY];
  private PermissionStatus[] permission = new PermissionStatus[INITIAL_CAPACITY];
  private byte[][] fileData = new byte[INITIAL_CAPACITY][];
  private boolean sealed;

  /** directoryPaths: filled by the caller as it walks; a file refers only to directories listed before it. */
  CapturedFiles(List<String> directoryPaths) {
    this.directoryPaths = directoryPaths;
  }

  void add(int directoryIndex, String fileName, FileNode file) {
    Check.state(!sealed, "captured files are sealed");
    Check.argument(directoryIndex >= 0 && directoryIndex < directoryPaths.size(), "directory %s of %s",
        directoryIndex, directoryPaths.size());
    if (size == directory.length) {
      grow();
    }
    directory[size] = directoryIndex;
    name[size] = fileName;
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
    name = Arrays.copyOf(name, capacity);
    replication = Arrays.copyOf(replication, capacity);
    mtimeMillis = Arrays.copyOf(mtimeMillis, capacity);
    permission = Arrays.copyOf(permission, capacity);
    fileData = Arrays.copyOf(fileData, capacity);
  }

  @Override
  public StateImage.File get(int index) {
    Check.state(sealed, "captured files read before the capture ended");
    Check.argument(index >= 0 && index < size, "index %s outside [0, %s)", index, size);
    String parent = directoryPaths.get(directory[index]);
    String path = parent.equals("/") ? "/" + name[index] : parent + "/" + name[index];
    byte[] data = fileData[index];
    return new StateImage.File(path, replication[index], mtimeMillis[index],
        FileNode.handleView(FileNode.handles(data)), permission[index],
        FileNode.accessTimeMillis(data, mtimeMillis[index]));
  }

  @Override
  public int size() {
    return size;
  }
}
