package io.gfs.master.state;

import io.gfs.common.Check;
import io.gfs.common.GfsPaths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Loads a checkpoint into a fresh state as it is read [0052-0053]. Issue 6 (a million files restart in under 3 s):
 * each file goes straight into its directory, found by number, with no image record, path string or boxed handle of
 * its own; chunk reference counts, replication targets and deleted marks are gathered per handle as the files pass
 * ({@link ChunkReferences}) and set when the chunk list comes, instead of a map of boxed handles and two more walks of
 * the tree. A failure leaves a half-loaded state that must be thrown away (recovery starts over on a fresh one).
 */
final class StateRestore implements ImageSink {
  private static final int IN_SNAPSHOT = 1;
  private static final int HIDDEN = 2;
  private final NamespaceTree tree;
  private final ChunkCoordinator coordinator;
  private final List<DirectoryNode> directories = new ArrayList<>();
  private long[] directoryMtimeMillis = new long[16];
  /** Per directory: whether its path is inside a snapshot or hidden (deleted), for its files' chunks. */
  private byte[] directoryMarks = new byte[16];
  private final ChunkReferences references = new ChunkReferences();
  private final List<StateImage.DirectoryPolicy> policies = new ArrayList<>();
  private long nextHandle;
  private int chunksRestored;
  private boolean ended;

  StateRestore(NamespaceTree tree, ChunkCoordinator coordinator) {
    Check.state(tree.root().children.isEmpty() && coordinator.chunkCount() == 0, "restore into a used state");
    this.tree = tree;
    this.coordinator = coordinator;
  }

  @Override
  public void nextHandle(long value) {
    nextHandle = value;
  }

  @Override
  public void directory(String path, long mtimeMillis, PermissionStatus permission, long accessTimeMillis) {
    open();
    List<String> components = GfsPaths.components(path);
    DirectoryNode directory = tree.mkdirs(components, mtimeMillis, permission);
    if (permission != null) {
      directory.setPermission(tree.intern(permission)); // "/" exists before the image is loaded
    }
    directory.setAccessTime(accessTimeMillis);
    int index = directories.size();
    if (index == directoryMarks.length) {
      directoryMtimeMillis = Arrays.copyOf(directoryMtimeMillis, index * 2);
      directoryMarks = Arrays.copyOf(directoryMarks, index * 2);
    }
    directories.add(directory);
    directoryMtimeMillis[index] = mtimeMillis;
    directoryMarks[index] = (byte) marks(components);
  }

  @Override
  public void expectFiles(int fileCount) {
    references.expect(fileCount); // usually a chunk per file or more: sized once, not doubled twenty times
  }

  @Override
  public void file(int directoryIndex, String name, int replication, long mtimeMillis, long accessTimeMillis,
      PermissionStatus permission, long[] handles, int handleCount) {
    open();
    if (directoryIndex < 0 || directoryIndex >= directories.size()) { // not Check: no boxing per file
      throw new IllegalArgumentException("directory " + directoryIndex + " of " + directories.size());
    }
    checkHandles(handles, handleCount);
    // The whole file in one array (name, access time, handles), not three copies of it.
    FileNode file = tree.restoreFile(directories.get(directoryIndex), name, replication, mtimeMillis, accessTimeMillis,
        permission, handles, handleCount);
    reference(file, handles, handleCount, directoryMarks[directoryIndex] | marks(name));
  }

  @Override
  public void file(String path, int replication, long mtimeMillis, long accessTimeMillis, PermissionStatus permission,
      long[] handles, int handleCount) {
    open();
    List<String> components = GfsPaths.components(path);
    // Not in the image's directory list: the path walk creates what is missing.
    Check.state(tree.createFile(components, replication, mtimeMillis, permission) == null, "file %s twice in checkpoint",
        path);
    checkHandles(handles, handleCount);
    FileNode file = (FileNode) tree.resolve(components).node();
    file.setAccessTime(accessTimeMillis);
    file.appendChunks(FileNode.handleView(Arrays.copyOf(handles, handleCount)));
    reference(file, handles, handleCount, marks(components));
  }

  private static void checkHandles(long[] handles, int handleCount) {
    if (handleCount < 0 || handleCount > handles.length) { // not Check: no boxing per file
      throw new IllegalArgumentException(handleCount + " handles of " + handles.length);
    }
  }

  /** The file's chunks get one more reference each, with its replication and whether it is a snapshot or deleted. */
  private void reference(FileNode file, long[] handles, int handleCount, int marks) {
    for (int i = 0; i < handleCount; i++) {
      references.add(handles[i], file.replication, (marks & IN_SNAPSHOT) != 0, (marks & HIDDEN) != 0);
    }
  }

  @Override
  public void chunk(long handle, long version, int lengthBytes, boolean lengthLogged) {
    open();
    int slot = references.find(handle);
    if (slot < 0) {
      throw new IllegalStateException("checkpoint chunk " + handle + " is referenced by no file");
    }
    coordinator.restoreChunk(handle, version, references.count(slot), references.target(slot),
        references.trashed(slot), lengthBytes, lengthLogged);
    chunksRestored++;
  }

  @Override
  public void policy(String path, int replication, long gcRetentionMillis) {
    open();
    policies.add(new StateImage.DirectoryPolicy(path, replication, gcRetentionMillis));
  }

  @Override
  public void end() {
    open();
    Check.state(chunksRestored == references.size(), "files of the checkpoint refer to %s chunks, it lists %s",
        references.size(), chunksRestored);
    // Creating children moved their parents' times forward; put back the recorded ones.
    for (int i = 0; i < directories.size(); i++) {
      directories.get(i).restoreMtime(directoryMtimeMillis[i]);
    }
    for (StateImage.DirectoryPolicy p : policies) {
      tree.setPolicy(GfsPaths.components(p.path()), p.replication(), p.gcRetentionMillis());
    }
    coordinator.restoreNextHandle(nextHandle);
    ended = true;
  }

  private void open() {
    Check.state(!ended, "the checkpoint was already loaded");
  }

  private static int marks(List<String> components) {
    int marks = 0;
    for (String name : components) {
      marks |= marks(name);
    }
    return marks;
  }

  /** As live operation has it: anything under .snapshot is a snapshot, and snapshots count as hidden too. */
  private static int marks(String name) {
    return (name.equals(SnapshotNames.DIRECTORY) ? IN_SNAPSHOT : 0) | (DeletedNames.isHidden(name) ? HIDDEN : 0);
  }
}
