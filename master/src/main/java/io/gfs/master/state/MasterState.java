package io.gfs.master.state;

import io.gfs.common.Check;
import io.gfs.common.GfsPaths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The master's whole in-memory state behind one facade: namespace, chunk table, leases, chunkserver registry and
 * placement. Pure: no Thrift, sockets, files, threads or clocks; time comes in as nowMillis, randomness as a
 * RandomGenerator.
 *
 * <p>A namespace mutation runs as: take the path locks ({@link #lockWrite} and friends), {@code decide...} (may refuse),
 * make the decided record durable, {@link #apply} it, release the locks. {@link #apply} is the ONLY path that changes
 * durable state, live and on replay, so replay rebuilds exactly what live operation built.
 */
public final class MasterState {
  /** Fixed parameters of the state machine. */
  public record Settings(long chunkSizeBytes, long leaseDurationMillis, long chunkServerDeadAfterMillis,
      int replicationDefault) {
    public Settings {
      Check.argument(chunkSizeBytes > 0, "chunk size %s <= 0", chunkSizeBytes);
      Check.argument(leaseDurationMillis > 0, "lease duration %s <= 0", leaseDurationMillis);
      Check.argument(chunkServerDeadAfterMillis > 0, "dead-after %s <= 0", chunkServerDeadAfterMillis);
      Check.argument(replicationDefault >= 1 && replicationDefault <= REPLICATION_MAX, "replication default %s",
          replicationDefault);
    }
  }

  public static final int REPLICATION_MAX = 32;
  /** Creations on a chunkserver within this window count as recent for placement [0065]. */
  public static final long RECENT_CREATION_WINDOW_MILLIS = 60_000;
  /** Most chunks one findChunks answer carries. */
  public static final int FIND_CHUNKS_COUNT_MAX = 1024;

  private final Settings settings;
  private final NamespaceTree tree = new NamespaceTree();
  private final LockTable locks = new LockTable();
  private final ChunkCoordinator coordinator;

  public MasterState(Settings settings, RandomGenerator random) {
    this.settings = Check.notNull(settings, "settings");
    this.coordinator = new ChunkCoordinator(settings, Check.notNull(random, "random"));
  }

  public Settings settings() {
    return settings;
  }

  // ---- locks [0057-0062] ----

  /** Read locks on the path and every ancestor: lookups, listings, chunk queries. */
  public LockTable.Held lockRead(String path) {
    return locks.lock(LockTable.plan(List.of(components(path)), List.of(false)));
  }

  /** Read locks on the ancestors, a write lock on the path: create, mkdirs, remove, lease grants of the file. */
  public LockTable.Held lockWrite(String path) {
    return locks.lock(LockTable.plan(List.of(components(path)), List.of(true)));
  }

  /** Write locks on both paths and read locks on their ancestors. */
  public LockTable.Held lockRename(String source, String destination) {
    return locks.lock(LockTable.plan(List.of(components(source), components(destination)), List.of(true, true)));
  }

  public LockTable lockTable() {
    return locks;
  }

  // ---- decide ----

  public Decision decideMkdirs(String path, long nowMillis) {
    List<String> c = components(path);
    NamespaceTree.Resolution r = tree.resolve(c);
    if (r.exists()) {
      return r.node().isDirectory() ? Decision.noop(true)
          : Decision.reject(StateError.ALREADY_EXISTS, "%s exists and is a file", path);
    }
    if (r.ancestorIsFile()) {
      return Decision.reject(StateError.PARENT_NOT_DIRECTORY, "a parent of %s is a file", path);
    }
    return Decision.log(new LogRecord.Mkdir(GfsPaths.join(c), nowMillis));
  }

  /** replication 0 means the default. */
  public Decision decideCreate(String path, boolean overwrite, boolean createParent, int replication,
      long nowMillis) {
    List<String> c = components(path);
    if (replication < 0 || replication > REPLICATION_MAX) {
      return Decision.reject(StateError.INVALID_ARGUMENT, "replication %s outside [0, %s]", replication,
          REPLICATION_MAX);
    }
    NamespaceTree.Resolution r = tree.resolve(c);
    if (c.isEmpty() || (r.exists() && r.node().isDirectory())) {
      return Decision.reject(StateError.IS_DIRECTORY, "%s is a directory", path);
    }
    if (r.ancestorIsFile()) {
      return Decision.reject(StateError.PARENT_NOT_DIRECTORY, "a parent of %s is a file", path);
    }
    if (r.parentMissing() && !createParent) {
      return Decision.reject(StateError.NOT_FOUND, "parent directory of %s does not exist", path);
    }
    if (r.exists() && !overwrite) {
      return Decision.reject(StateError.ALREADY_EXISTS, "%s already exists", path);
    }
    int effective = replication == 0 ? settings.replicationDefault() : replication;
    return Decision.log(new LogRecord.Create(GfsPaths.join(c), effective, nowMillis, overwrite, createParent));
  }

  /** Answer false (nothing logged) when the path does not exist. Removing "/" removes its children and keeps it. */
  public Decision decideRemove(String path, boolean recursive) {
    List<String> c = components(path);
    NamespaceTree.Resolution r = tree.resolve(c);
    if (!r.exists()) {
      return Decision.noop(false);
    }
    if (r.node() instanceof DirectoryNode directory && !directory.children.isEmpty() && !recursive) {
      return Decision.reject(StateError.DIRECTORY_NOT_EMPTY, "directory %s is not empty", path);
    }
    if (c.isEmpty() && ((DirectoryNode) r.node()).children.isEmpty()) {
      return Decision.noop(false); // "/" itself is never removed
    }
    return Decision.log(new LogRecord.Delete(GfsPaths.join(c), recursive));
  }

  public Decision decideRename(String source, String destination, long nowMillis) {
    List<String> from = components(source);
    List<String> to = components(destination);
    NamespaceTree.Resolution src = tree.resolve(from);
    if (!src.exists()) {
      return Decision.reject(StateError.NOT_FOUND, "rename source %s does not exist", source);
    }
    if (from.equals(to)) {
      return Decision.noop(true);
    }
    if (from.isEmpty()) {
      return Decision.reject(StateError.INVALID_ARGUMENT, "cannot rename /");
    }
    if (to.size() > from.size() && to.subList(0, from.size()).equals(from)) {
      return Decision.reject(StateError.INVALID_ARGUMENT, "cannot rename %s into its own subtree %s", source,
          destination);
    }
    NamespaceTree.Resolution dst = tree.resolve(to);
    if (dst.exists()) {
      return Decision.reject(StateError.ALREADY_EXISTS, "rename destination %s exists", destination);
    }
    if (dst.ancestorIsFile()) {
      return Decision.reject(StateError.PARENT_NOT_DIRECTORY, "a parent of %s is a file", destination);
    }
    if (dst.parentMissing()) {
      return Decision.reject(StateError.NOT_FOUND, "parent directory of %s does not exist", destination);
    }
    return Decision.log(new LogRecord.Rename(GfsPaths.join(from), GfsPaths.join(to), nowMillis));
  }

  // ---- apply: the only mutation path ----

  public void apply(LogRecord record) {
    switch (record.kind()) {
      case MKDIR -> {
        LogRecord.Mkdir r = (LogRecord.Mkdir) record;
        tree.mkdirs(GfsPaths.components(r.path()), r.mtimeMillis());
      }
      case CREATE -> {
        LogRecord.Create r = (LogRecord.Create) record;
        FileNode replaced = tree.createFile(GfsPaths.components(r.path()), r.replication(), r.mtimeMillis());
        if (replaced != null) {
          coordinator.release(replaced.chunkHandles);
        }
      }
      case DELETE -> {
        LogRecord.Delete r = (LogRecord.Delete) record;
        List<Long> released = new ArrayList<>();
        for (FileNode file : tree.remove(GfsPaths.components(r.path()))) {
          released.addAll(file.chunkHandles);
        }
        coordinator.release(released);
      }
      case RENAME -> {
        LogRecord.Rename r = (LogRecord.Rename) record;
        tree.rename(GfsPaths.components(r.source()), GfsPaths.components(r.destination()), r.mtimeMillis());
      }
      case ADD_CHUNK -> {
        LogRecord.AddChunk r = (LogRecord.AddChunk) record;
        FileNode file = fileForApply(r.path());
        Check.state(file.chunkHandles.size() == r.chunkIndex(), "ADD_CHUNK %s index %s but the file has %s chunks",
            r.path(), r.chunkIndex(), file.chunkHandles.size());
        coordinator.applyAdd(r.handle(), r.version());
        file.chunkHandles.add(r.handle());
        file.touch(r.mtimeMillis());
      }
      case SET_VERSION -> {
        LogRecord.SetVersion r = (LogRecord.SetVersion) record;
        coordinator.applySetVersion(r.handle(), r.version());
      }
      default -> throw new IllegalStateException("unknown record " + record);
    }
  }

  private FileNode fileForApply(String path) {
    NamespaceTree.Resolution r = tree.resolve(GfsPaths.components(path));
    Check.state(r.node() instanceof FileNode, "%s is not a file", path);
    return (FileNode) r.node();
  }

  // ---- queries (caller holds read locks) ----

  public FileStatus fileStatus(String path) {
    List<String> c = components(path);
    return status(GfsPaths.join(c), existing(c, path));
  }

  /** A directory's children in name order; for a file, the file itself (as Hadoop's listStatus does). */
  public List<FileStatus> listStatus(String path) {
    List<String> c = components(path);
    Node node = existing(c, path);
    String normalized = GfsPaths.join(c);
    if (!(node instanceof DirectoryNode directory)) {
      return List.of(status(normalized, node));
    }
    List<FileStatus> out = new ArrayList<>();
    String prefix = c.isEmpty() ? "/" : normalized + "/";
    directory.children.forEach((name, child) -> out.add(status(prefix + name, child)));
    return out;
  }

  public FileChunks findChunks(String path, long firstChunkIndex, int chunkCountMax, long nowMillis) {
    if (firstChunkIndex < 0 || chunkCountMax <= 0) {
      throw StateException.of(StateError.INVALID_ARGUMENT, "first chunk index %s < 0 or count %s <= 0",
          firstChunkIndex, chunkCountMax);
    }
    List<String> c = components(path);
    FileNode file = existingFile(c, path);
    List<Long> handles = List.copyOf(file.chunkHandles);
    return new FileChunks(status(GfsPaths.join(c), file), coordinator.views(handles, firstChunkIndex,
        Math.min(chunkCountMax, FIND_CHUNKS_COUNT_MAX), nowMillis));
  }

  private FileStatus status(String path, Node node) {
    if (node instanceof FileNode file) {
      List<Long> handles = List.copyOf(file.chunkHandles);
      return new FileStatus(path, false, coordinator.knownLengthBytes(handles), file.replication,
          file.mtimeMillis(), handles.size());
    }
    return new FileStatus(path, true, 0, 0, node.mtimeMillis(), 0);
  }

  private Node existing(List<String> c, String path) {
    NamespaceTree.Resolution r = tree.resolve(c);
    if (r.ancestorIsFile()) {
      throw StateException.of(StateError.PARENT_NOT_DIRECTORY, "a parent of %s is a file", path);
    }
    if (!r.exists()) {
      throw StateException.of(StateError.NOT_FOUND, "%s does not exist", path);
    }
    return r.node();
  }

  private FileNode existingFile(List<String> c, String path) {
    Node node = existing(c, path);
    if (!(node instanceof FileNode file)) {
      throw StateException.of(StateError.IS_DIRECTORY, "%s is a directory", path);
    }
    return file;
  }

  // ---- chunks, leases, heartbeats ----

  /**
   * Decides acquireLease (caller holds {@link #lockWrite} on the file). chunkIndex equal to the chunk count allocates
   * a new chunk; -1 means the last chunk, allocating chunk 0 of an empty file.
   */
  public LeasePlan planLease(String path, long chunkIndex, long nowMillis) {
    List<String> c = components(path);
    FileNode file = existingFile(c, path);
    List<Long> handles = List.copyOf(file.chunkHandles);
    long index = chunkIndex == -1 ? Math.max(0, handles.size() - 1) : chunkIndex;
    if (index < 0) {
      throw StateException.of(StateError.INVALID_ARGUMENT, "chunk index %s < -1", chunkIndex);
    }
    if (index > handles.size()) {
      throw StateException.of(StateError.OUT_OF_RANGE, "chunk index %s past the %s chunks of %s", chunkIndex,
          handles.size(), path);
    }
    return coordinator.planLease(GfsPaths.join(c), handles, file.replication, index, nowMillis);
  }

  public LeaseView completeGrant(LeasePlan.Grant plan, List<String> succeeded, String primaryId, long nowMillis) {
    return coordinator.completeGrant(plan, succeeded, primaryId, nowMillis);
  }

  public void abortGrant(LeasePlan.Grant plan) {
    coordinator.abortGrant(plan.handle());
  }

  /** A writer's report of a chunk's length (caller holds read locks on the file). */
  public void reportChunkLength(String path, long chunkIndex, long handle, long lengthBytes) {
    List<String> c = components(path);
    FileNode file = existingFile(c, path);
    if (chunkIndex < 0 || chunkIndex >= file.chunkHandles.size()) {
      throw StateException.of(StateError.OUT_OF_RANGE, "chunk index %s outside the %s chunks of %s", chunkIndex,
          file.chunkHandles.size(), path);
    }
    if (file.chunkHandles.get((int) chunkIndex) != handle) {
      throw StateException.of(StateError.UNKNOWN_CHUNK, "chunk %s of %s is not handle %s", chunkIndex, path, handle);
    }
    if (lengthBytes < 0 || lengthBytes > settings.chunkSizeBytes()) {
      throw StateException.of(StateError.INVALID_ARGUMENT, "length %s outside [0, %s]", lengthBytes,
          settings.chunkSizeBytes());
    }
    coordinator.reportLength(handle, lengthBytes);
  }

  public HeartbeatOutcome heartbeat(HeartbeatReport report, long nowMillis) {
    return coordinator.heartbeat(report, nowMillis);
  }

  /** Periodic: forgets dead chunkservers (returned) and expired leases. */
  public List<String> tick(long nowMillis) {
    return coordinator.tick(nowMillis);
  }

  public List<ServerStatus> chunkServers(long nowMillis) {
    return coordinator.status(nowMillis);
  }

  public long fileCount() {
    return tree.fileCount();
  }

  public long directoryCount() {
    return tree.directoryCount();
  }

  public long chunkCount() {
    return coordinator.chunkCount();
  }

  public int leaseCount() {
    return coordinator.leaseCount();
  }

  // ---- checkpoints ----

  /** A copy of the durable state. The caller makes sure no mutation is between log append and apply. */
  public StateImage image() {
    List<StateImage.Directory> directories = new ArrayList<>();
    List<StateImage.File> files = new ArrayList<>();
    tree.visit((path, node) -> {
      if (node instanceof FileNode file) {
        files.add(new StateImage.File(path, file.replication, file.mtimeMillis(), List.copyOf(file.chunkHandles)));
      } else {
        directories.add(new StateImage.Directory(path, node.mtimeMillis()));
      }
    });
    return new StateImage(coordinator.nextHandle(), directories, files, coordinator.imageChunks());
  }

  /** Loads a checkpoint into this fresh state. */
  public void restore(StateImage image) {
    Check.state(tree.root().children.isEmpty() && coordinator.chunkCount() == 0, "restore into a used state");
    Map<Long, Integer> references = new HashMap<>();
    for (StateImage.Directory d : image.directories()) {
      tree.mkdirs(GfsPaths.components(d.path()), d.mtimeMillis());
    }
    for (StateImage.File f : image.files()) {
      List<String> c = GfsPaths.components(f.path());
      Check.state(tree.createFile(c, f.replication(), f.mtimeMillis()) == null, "file %s twice in checkpoint",
          f.path());
      FileNode file = (FileNode) tree.resolve(c).node();
      file.chunkHandles.addAll(f.chunkHandles());
      f.chunkHandles().forEach(h -> references.merge(h, 1, Integer::sum));
    }
    // Creating children moved their parents' times forward; put back the recorded ones.
    for (StateImage.Directory d : image.directories()) {
      tree.resolve(GfsPaths.components(d.path())).node().restoreMtime(d.mtimeMillis());
    }
    coordinator.restore(image, references);
  }

  // ---- invariants ----

  /** Expensive whole-state checks, for tests after every step: throws IllegalStateException naming the breakage. */
  public void checkInvariants() {
    Map<Long, Integer> references = new HashMap<>();
    long[] counts = new long[2];
    tree.visit((path, node) -> {
      if (node instanceof FileNode file) {
        counts[0]++;
        Check.state(file.replication >= 1 && file.replication <= REPLICATION_MAX, "%s replication %s", path,
            file.replication);
        file.chunkHandles.forEach(h -> references.merge(h, 1, Integer::sum));
      } else {
        counts[1]++;
      }
    });
    Check.state(counts[0] == tree.fileCount(), "%s files in the tree, counter says %s", counts[0], tree.fileCount());
    Check.state(counts[1] == tree.directoryCount(), "%s directories in the tree, counter says %s", counts[1],
        tree.directoryCount());
    coordinator.checkInvariants(references);
  }

  private static List<String> components(String path) {
    try {
      return GfsPaths.components(path);
    } catch (GfsPaths.InvalidPathException e) {
      throw new StateException(StateError.INVALID_PATH, e.getMessage());
    }
  }
}
