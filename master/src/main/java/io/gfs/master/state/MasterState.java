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
  /**
   * Fixed parameters of the state machine. gcRetentionMillis: how long deleted entries stay hidden before the scan
   * purges them (0: deletes purge at once).
   */
  public record Settings(long chunkSizeBytes, long leaseDurationMillis, long chunkServerDeadAfterMillis,
      int replicationDefault, long gcRetentionMillis) {
    /** Deletes purge at once. */
    public Settings(long chunkSizeBytes, long leaseDurationMillis, long chunkServerDeadAfterMillis,
        int replicationDefault) {
      this(chunkSizeBytes, leaseDurationMillis, chunkServerDeadAfterMillis, replicationDefault, 0);
    }

    public Settings {
      Check.argument(gcRetentionMillis >= 0, "gc retention %s < 0", gcRetentionMillis);
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
  private final NamespaceQueries queries;
  private final MetadataDecisions metadata;
  private final GarbageDecisions garbage;
  private final NamespaceDecisions namespace;
  private final SnapshotDecisions snapshots;
  /** Issue 4: the non-idempotent calls applied, by request id; filled only by {@link #apply}. */
  private RetryCache retryCache = new RetryCache(RetryCache.ENTRIES_MAX_DEFAULT, RetryCache.EXPIRY_MILLIS_DEFAULT);

  public MasterState(Settings settings, RandomGenerator random) {
    this.settings = Check.notNull(settings, "settings");
    this.coordinator = new ChunkCoordinator(settings, Check.notNull(random, "random"));
    this.queries = new NamespaceQueries(tree, coordinator);
    this.metadata = new MetadataDecisions(queries, coordinator, settings.chunkSizeBytes());
    this.garbage = new GarbageDecisions(tree, queries, settings.gcRetentionMillis());
    this.namespace = new NamespaceDecisions(tree, settings.replicationDefault());
    this.snapshots = new SnapshotDecisions(tree);
  }

  public Settings settings() {
    return settings;
  }

  // ---- locks [0057-0062] ----

  /** Read locks on the path and every ancestor: lookups, listings, chunk queries. */
  public LockTable.Held lockRead(String path) {
    return locks.lock(LockTable.plan(List.of(components(path)), List.of(false)));
  }

  /** Whether a path write lock is held or waited for now (held until the mutation's record is on disk). */
  public boolean writeLocked() {
    return locks.writeLocked();
  }

  /** Read locks on the ancestors, a write lock on the path: create, mkdirs, remove, lease grants of the file. */
  public LockTable.Held lockWrite(String path) {
    return locks.lock(LockTable.plan(List.of(components(path)), List.of(true)));
  }

  /** Write locks on both paths and read locks on their ancestors. */
  public LockTable.Held lockRename(String source, String destination) {
    return locks.lock(LockTable.plan(List.of(components(source), components(destination)), List.of(true, true)));
  }

  /**
   * Undelete: a write lock on the parent directory (the namespace scan cannot purge the hidden entry meanwhile) and
   * on the path.
   */
  public LockTable.Held lockUndelete(String path) {
    List<String> c = components(path);
    List<String> parent = c.isEmpty() ? c : c.subList(0, c.size() - 1);
    return locks.lock(LockTable.plan(List.of(parent, c), List.of(true, true)));
  }

  /** Write locks on every path (concat: the target and its sources) and read locks on their ancestors. */
  public LockTable.Held lockWriteAll(List<String> paths) {
    List<List<String>> c = new ArrayList<>();
    List<Boolean> writes = new ArrayList<>();
    for (String path : paths) {
      c.add(components(path));
      writes.add(true);
    }
    return locks.lock(LockTable.plan(c, writes));
  }

  public LockTable lockTable() {
    return locks;
  }

  // ---- decide ----

  public Decision decideMkdirs(String path, long nowMillis) {
    return decideMkdirs(path, null, null, (short) -1, nowMillis);
  }

  /**
   * A null owner or group takes the nearest existing parent directory's; a negative permission means the default
   * directory permission. The new directory's attributes go into the record, so replay needs no defaults.
   */
  public Decision decideMkdirs(String path, String owner, String group, short permission, long nowMillis) {
    return namespace.mkdirs(writable(path), path, owner, group, permission, nowMillis);
  }

  /** replication 0 means the default. */
  public Decision decideCreate(String path, boolean overwrite, boolean createParent, int replication,
      long nowMillis) {
    return decideCreate(path, overwrite, createParent, replication, null, null, (short) -1, nowMillis);
  }

  /**
   * replication 0 means the default; a null owner or group takes the nearest existing parent directory's (as HDFS
   * does); a negative permission means the default file permission.
   */
  public Decision decideCreate(String path, boolean overwrite, boolean createParent, int replication, String owner,
      String group, short permission, long nowMillis) {
    List<String> c = writable(path);
    int wanted = replication != 0 || c.isEmpty() ? replication
        : Math.max(0, tree.effectiveReplication(c.subList(0, c.size() - 1))); // the directory's policy, if any
    return namespace.create(c, path, overwrite, createParent, wanted, owner, group, permission, nowMillis);
  }

  /**
   * Answer false (nothing logged) when the path does not exist. The entry is renamed to a hidden name with the
   * deletion time, or purged at once (see {@link GarbageDecisions}). Removing "/" purges its children and keeps it.
   */
  public Decision decideRemove(String path, boolean recursive, long nowMillis) {
    return garbage.remove(writable(path), recursive, nowMillis);
  }

  /** Caller holds {@link #lockUndelete}. False when no deleted entry had the path. */
  public Decision decideUndelete(String path, long nowMillis) {
    return garbage.undelete(components(path), path, nowMillis);
  }

  /** The namespace scan's purge of a hidden entry past its retention; caller holds {@link #lockWrite}. */
  public Decision decidePurge(String hiddenPath, long nowMillis) {
    return garbage.purge(components(hiddenPath), nowMillis);
  }

  /** Hidden entries past their retention, outermost first, at most countMax: what the scan purges [0076]. */
  public List<String> expiredDeleted(long nowMillis, int countMax) {
    return garbage.expired(nowMillis, countMax);
  }

  /** Deleted entries directly in a directory, newest first, under their hidden paths (caller holds read locks). */
  public List<FileStatus> listDeleted(String directory) {
    return garbage.listDeleted(components(directory), directory);
  }

  public Decision decideRename(String source, String destination, long nowMillis) {
    return namespace.rename(writable(source), source, writable(destination), destination, nowMillis);
  }

  public Decision decideSetPermission(String path, short permission) {
    return metadata.setPermission(writable(path), path, permission);
  }

  public Decision decideSetOwner(String path, String owner, String group) {
    return metadata.setOwner(writable(path), path, owner, group);
  }

  /** -1 leaves a time unchanged. */
  public Decision decideSetTimes(String path, long modificationTimeMillis, long accessTimeMillis) {
    return metadata.setTimes(writable(path), path, modificationTimeMillis, accessTimeMillis);
  }

  /** Answers false for a directory. */
  public Decision decideSetReplication(String path, int replication) {
    return metadata.setReplication(writable(path), path, replication);
  }

  /** A directory's policy (-1 inherits); caller holds {@link #lockWrite}. */
  public Decision decideSetPolicy(String path, int replication, long gcRetentionMillis) {
    List<String> c = writable(path);
    if (!Policy.valid(replication, gcRetentionMillis)) {
      return Decision.reject(StateError.INVALID_ARGUMENT, "policy replication %s (-1 or 1..%s), retention %s (>= -1)",
          replication, REPLICATION_MAX, gcRetentionMillis);
    }
    if (!(queries.existing(c, path) instanceof DirectoryNode)) {
      return Decision.reject(StateError.NOT_DIRECTORY, "%s is not a directory", path);
    }
    return Decision.log(new LogRecord.SetPolicy(GfsPaths.join(c), replication, gcRetentionMillis));
  }

  /** The path's own policy (a file's directory's) and the effective one, falling back to the master's settings. */
  public Policy policy(String path) {
    List<String> c = components(path);
    Node node = queries.existing(c, path);
    List<String> dir = node instanceof DirectoryNode ? c : c.subList(0, c.size() - 1);
    DirectoryNode d = (DirectoryNode) tree.resolve(dir).node();
    int replication = tree.effectiveReplication(dir);
    return new Policy(GfsPaths.join(dir), d.policyReplication, d.policyGcRetentionMillis,
        replication == Policy.INHERIT ? settings.replicationDefault() : replication,
        tree.effectiveRetention(dir, settings.gcRetentionMillis()));
  }

  /** Caller holds {@link #lockWriteAll} on the target and the sources. */
  public Decision decideConcat(String target, List<String> sources, long nowMillis) {
    List<List<String>> c = new ArrayList<>();
    for (String source : sources) {
      c.add(writable(source));
    }
    return metadata.concat(writable(target), target, c, sources, nowMillis);
  }

  // ---- retry cache (issue 4) ----

  /** Bounds of the retry cache; set before the first record is applied (recovery), the cache starts empty. */
  public void configureRetryCache(int entriesMax, long expiryMillis) {
    Check.state(retryCache.size() == 0, "the retry cache is configured before any request is applied");
    retryCache = new RetryCache(entriesMax, expiryMillis);
  }

  /**
   * The earlier application of this call, if remembered: the caller holds the locks the call's decision needs, so
   * an original still running has either applied (and is found) or not yet decided.
   */
  public java.util.Optional<RetryCache.Entry> retried(RetryCache.Key key, long nowMillis) {
    return retryCache.lookup(key, nowMillis);
  }

  public int retryCacheSize() {
    return retryCache.size();
  }

  // ---- apply: the only mutation path ----

  public void apply(LogRecord record) {
    if (record instanceof LogRecord.Requested r) {
      apply(r.mutation());
      // A create's answer is the file as it stood right after it: what the original reply carried.
      FileStatus created = r.mutation() instanceof LogRecord.Create c ? fileStatusOrNull(c.path()) : null;
      retryCache.record(new RetryCache.Entry(r.key(), r.mutation().kind(), r.atMillis(), created));
      return;
    }
    switch (record.kind()) {
      case MKDIR -> {
        LogRecord.Mkdir r = (LogRecord.Mkdir) record;
        tree.mkdirs(GfsPaths.components(r.path()), r.mtimeMillis(), r.permission());
      }
      case CREATE -> {
        LogRecord.Create r = (LogRecord.Create) record;
        FileNode replaced = tree.createFile(GfsPaths.components(r.path()), r.replication(), r.mtimeMillis(),
            r.permission());
        if (replaced != null) {
          coordinator.release(replaced.chunkHandles());
        }
      }
      case DELETE -> {
        LogRecord.Delete r = (LogRecord.Delete) record;
        List<Long> released = new ArrayList<>();
        for (FileNode file : tree.remove(GfsPaths.components(r.path()))) {
          released.addAll(file.chunkHandles());
        }
        coordinator.release(released);
      }
      case RENAME -> {
        LogRecord.Rename r = (LogRecord.Rename) record;
        List<String> to = GfsPaths.components(r.destination());
        tree.rename(GfsPaths.components(r.source()), to, r.mtimeMillis());
        boolean deleted = DeletedNames.anyHidden(to);
        if (deleted != DeletedNames.anyHidden(GfsPaths.components(r.source()))) {
          // A delete or an undelete: re-replication ranks these chunks after (or again among) live files' [0070].
          coordinator.setTrashed(tree.chunkHandlesUnder(tree.resolve(to).node(), !deleted), deleted);
        }
      }
      case ADD_CHUNK -> {
        LogRecord.AddChunk r = (LogRecord.AddChunk) record;
        FileNode file = fileForApply(r.path());
        Check.state(file.chunkCount() == r.chunkIndex(), "ADD_CHUNK %s index %s but the file has %s chunks",
            r.path(), r.chunkIndex(), file.chunkCount());
        coordinator.applyAdd(r.handle(), r.version(), file.replication,
            DeletedNames.anyHidden(GfsPaths.components(r.path())));
        file.addChunk(r.handle());
        file.touch(r.mtimeMillis());
      }
      case SET_VERSION -> {
        LogRecord.SetVersion r = (LogRecord.SetVersion) record;
        coordinator.applySetVersion(r.handle(), r.version());
      }
      case ABANDON_CHUNK -> {
        LogRecord.AbandonChunk r = (LogRecord.AbandonChunk) record;
        FileNode file = fileForApply(r.path());
        int last = file.chunkCount() - 1;
        Check.state(last == r.chunkIndex() && file.chunkHandle(last) == r.handle(),
            "ABANDON_CHUNK %s chunk %s (handle %s) is not the file's last", r.path(), r.chunkIndex(), r.handle());
        file.removeLastChunk();
        coordinator.release(List.of(r.handle()));
      }
      case SNAPSHOT -> {
        LogRecord.Snapshot r = (LogRecord.Snapshot) record;
        List<Long> shared = new ArrayList<>();
        tree.copySubtree(GfsPaths.components(r.path()), GfsPaths.components(r.storage()), r.mtimeMillis())
            .forEach(file -> shared.addAll(file.chunkHandles()));
        coordinator.addReferences(shared);
      }
      case COPY_ON_WRITE -> {
        LogRecord.CopyOnWrite r = (LogRecord.CopyOnWrite) record;
        FileNode file = fileForApply(r.path());
        Check.state(file.chunkHandle((int) r.chunkIndex()) == r.oldHandle(), "COPY_ON_WRITE %s chunk %s is not %s",
            r.path(), r.chunkIndex(), r.oldHandle());
        coordinator.applyCopy(r, file.replication, DeletedNames.anyHidden(GfsPaths.components(r.path())));
        file.replaceChunk((int) r.chunkIndex(), r.newHandle());
      }
      default -> applyMetadata(record);
    }
  }

  private void applyMetadata(LogRecord record) {
    switch (record.kind()) {
      case SET_PERMISSION -> {
        LogRecord.SetPermission r = (LogRecord.SetPermission) record;
        tree.setPermission(GfsPaths.components(r.path()), r.permission());
      }
      case SET_OWNER -> {
        LogRecord.SetOwner r = (LogRecord.SetOwner) record;
        tree.setOwner(GfsPaths.components(r.path()), r.owner(), r.group());
      }
      case SET_TIMES -> {
        LogRecord.SetTimes r = (LogRecord.SetTimes) record;
        tree.setTimes(GfsPaths.components(r.path()), r.modificationTimeMillis(), r.accessTimeMillis());
      }
      case SET_REPLICATION -> {
        LogRecord.SetReplication r = (LogRecord.SetReplication) record;
        tree.setReplication(GfsPaths.components(r.path()), r.replication());
        FileNode file = fileForApply(r.path());
        coordinator.setTargets(file.chunkHandles(), file.replication);
      }
      case SET_POLICY -> {
        LogRecord.SetPolicy r = (LogRecord.SetPolicy) record;
        tree.setPolicy(GfsPaths.components(r.path()), r.replication(), r.gcRetentionMillis());
      }
      case CONCAT -> {
        LogRecord.Concat r = (LogRecord.Concat) record;
        List<List<String>> sources = new ArrayList<>();
        r.sources().forEach(source -> sources.add(GfsPaths.components(source)));
        tree.concat(GfsPaths.components(r.target()), sources, r.mtimeMillis());
        FileNode target = fileForApply(r.target());
        coordinator.setTargets(target.chunkHandles(), target.replication);
      }
      case CHUNK_LENGTHS -> coordinator.applyLoggedLengths((LogRecord.ChunkLengths) record);
      case NEW_TERM -> { } // issue 4: a term boundary for the log's readers; the namespace does not change
      default -> throw new IllegalStateException("unknown record " + record);
    }
  }

  private FileNode fileForApply(String path) {
    NamespaceTree.Resolution r = tree.resolve(GfsPaths.components(path));
    Check.state(r.node() instanceof FileNode, "%s is not a file", path);
    return (FileNode) r.node();
  }

  // ---- snapshots [0113-0116] (caller holds lockSnapshots(path) and revoked the leases below it) ----

  /** A write lock covering the path's snapshot area (the path, or a file's directory) and everything below it. */
  public LockTable.Held lockSnapshots(String path) {
    List<String> scope = snapshots.lockScope(components(path));
    return locks.lock(LockTable.plan(List.of(scope), List.of(true)));
  }

  /** Revokes the leases on the chunks of the path's tree; returns the unexpired ones (their primaries must stop). */
  public List<LeasePlan.Revoked> revokeLeasesUnder(String path, long nowMillis) {
    return coordinator.revokeLeases(snapshots.chunkHandles(components(path), path), nowMillis);
  }

  public Decision decideCreateSnapshot(String path, String name, long nowMillis) {
    return snapshots.create(components(path), path, name, nowMillis);
  }

  public Decision decideDeleteSnapshot(String path, String name) {
    return snapshots.delete(components(path), path, name);
  }

  public Decision decideRenameSnapshot(String path, String oldName, String newName, long nowMillis) {
    return snapshots.rename(components(path), path, oldName, newName, nowMillis);
  }

  public List<String> listSnapshots(String path) {
    return snapshots.list(components(path), path);
  }

  /** The local copies of a copy-on-write ended; the plan's record is already applied. */
  public void completeCopy(LeasePlan.CopyOnWrite plan, List<String> succeeded, long nowMillis) {
    coordinator.completeCopy(plan, succeeded, nowMillis);
  }

  // ---- queries (caller holds read locks) ----

  public FileStatus fileStatus(String path) {
    List<String> c = components(path);
    return queries.status(GfsPaths.join(c), queries.existing(c, path));
  }

  /**
   * The status at path, or null when nothing is there (or a file stands where a directory should): Hadoop's rename
   * asks this of paths that are usually missing, and a StateException with its stack per miss was a tenth of a
   * rename's master CPU (issue 6). Lengths as this master knows them now, never refused for a length not reported
   * yet: it serves the master's own decisions (rename's cases, access times), which do not read lengths.
   */
  public FileStatus fileStatusOrNull(String path) {
    List<String> c = components(path);
    NamespaceTree.Resolution r = tree.resolve(c);
    return r.exists() && !r.ancestorIsFile() ? queries.statusAsKnown(GfsPaths.join(c), r.node()) : null;
  }

  /**
   * A directory's children in name order, deleted ones left out; for a file, the file itself (as Hadoop's listStatus
   * does).
   */
  public List<FileStatus> listStatus(String path) {
    List<String> c = components(path);
    Node node = queries.existing(c, path);
    String normalized = GfsPaths.join(c);
    if (!(node instanceof DirectoryNode directory)) {
      return List.of(queries.status(normalized, node));
    }
    List<FileStatus> out = new ArrayList<>();
    String prefix = c.isEmpty() ? "/" : normalized + "/";
    directory.children.forEach((name, child) -> {
      if (!DeletedNames.isHidden(name)) {
        out.add(queries.status(prefix + name, child));
      }
    });
    return out;
  }

  /**
   * One page of a listing: the entries after startAfter (a name or a full path, "" for the first page), at most
   * entriesMax (capped at {@value NamespaceQueries#LISTING_ENTRIES_MAX}), with each file's chunk locations when asked.
   */
  public Listing listPage(String path, String startAfter, int entriesMax, boolean withLocations, long nowMillis) {
    return queries.listPage(components(path), path, startAfter, entriesMax, withLocations, nowMillis);
  }

  public ContentSummary contentSummary(String path) {
    return queries.contentSummary(components(path), path);
  }

  public FileChunks findChunks(String path, long firstChunkIndex, int chunkCountMax, long nowMillis) {
    if (firstChunkIndex < 0 || chunkCountMax <= 0) {
      throw StateException.of(StateError.INVALID_ARGUMENT, "first chunk index %s < 0 or count %s <= 0",
          firstChunkIndex, chunkCountMax);
    }
    List<String> c = components(path);
    FileNode file = queries.existingFile(c, path);
    List<Long> handles = file.chunkHandles();
    return new FileChunks(queries.status(GfsPaths.join(c), file), coordinator.views(handles, firstChunkIndex,
        Math.min(chunkCountMax, FIND_CHUNKS_COUNT_MAX), nowMillis));
  }

  // ---- chunks, leases, heartbeats ----

  /**
   * Decides acquireLease (caller holds {@link #lockWrite} on the file). chunkIndex equal to the chunk count allocates
   * a new chunk; -1 means the last chunk, allocating chunk 0 of an empty file.
   */
  public LeasePlan planLease(String path, long chunkIndex, long nowMillis) {
    List<String> c = writable(path);
    FileNode file = queries.existingFile(c, path);
    List<Long> handles = file.chunkHandles();
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
    List<String> c = writable(path);
    FileNode file = queries.existingFile(c, path);
    if (chunkIndex < 0 || chunkIndex >= file.chunkCount()) {
      throw StateException.of(StateError.OUT_OF_RANGE, "chunk index %s outside the %s chunks of %s", chunkIndex,
          file.chunkCount(), path);
    }
    if (file.chunkHandle((int) chunkIndex) != handle) {
      throw StateException.of(StateError.UNKNOWN_CHUNK, "chunk %s of %s is not handle %s", chunkIndex, path, handle);
    }
    if (lengthBytes < 0 || lengthBytes > settings.chunkSizeBytes()) {
      throw StateException.of(StateError.INVALID_ARGUMENT, "length %s outside [0, %s]", lengthBytes,
          settings.chunkSizeBytes());
    }
    coordinator.reportLength(handle, lengthBytes);
  }

  /**
   * A primary's report of its chunk's length after a group of record appends (issue 6): accepted only from a server
   * holding a current replica at the chunk's version (see {@link ChunkTable#reportReplicaLength}); never shrinks.
   * Takes no path lock: the length is the chunk's, which every file holding the handle sums.
   */
  public void reportReplicaLength(String serverId, long handle, long version, long lengthBytes) {
    if (serverId == null || serverId.isEmpty()) {
      throw StateException.of(StateError.INVALID_ARGUMENT, "a length report without a server id");
    }
    if (lengthBytes < 0 || lengthBytes > settings.chunkSizeBytes()) {
      throw StateException.of(StateError.INVALID_ARGUMENT, "length %s outside [0, %s]", lengthBytes,
          settings.chunkSizeBytes());
    }
    coordinator.reportReplicaLength(serverId, handle, version, lengthBytes);
  }

  public HeartbeatOutcome heartbeat(HeartbeatReport report, long nowMillis) {
    return coordinator.heartbeat(report, nowMillis);
  }

  /**
   * Re-replication [0069-0072]: clones to start now, most urgent first, within the cluster-wide and per-chunkserver
   * limits; excess replicas are dropped and go out as deletes in heartbeat replies. Each clone's outcome must come
   * back through {@link #completeClone}.
   */
  public List<ClonePlan> planReplication(long nowMillis, int clonesMax, int clonesPerServerMax) {
    return coordinator.planReplication(nowMillis, clonesMax, clonesPerServerMax);
  }

  /** A clone ended (the target answered copyChunkFrom, or failed); true when the chunk gained a current replica. */
  public boolean completeClone(ClonePlan clone, boolean succeeded, long nowMillis) {
    return coordinator.completeClone(clone, succeeded, nowMillis);
  }

  /**
   * Primaries to tell to drop their lease (assignVersion at the same version, lease 0) because their chunk is about to
   * be cloned [0069-0072]; each answer goes back through {@link #leaseStopped}. Handed out once.
   */
  public List<LeasePlan.Revoked> takeLeasesToStop() {
    return coordinator.takeLeasesToStop();
  }

  /**
   * A clone or lease-stop call to this chunkserver failed at the transport: no clone uses it until it heartbeats
   * again (it may have died a moment ago, before the master takes it as down).
   */
  public void chunkServerUnreachable(String serverId, long nowMillis) {
    coordinator.unreachable(serverId, nowMillis);
  }

  /** The primary confirmed it dropped the lease (stopped), or could not be told (then its lease is waited out). */
  public void leaseStopped(long handle, long version, boolean stopped) {
    coordinator.leaseStopped(handle, version, stopped);
  }

  public int clonesInFlight() {
    return coordinator.clonesInFlight();
  }

  /** Periodic: forgets dead chunkservers (returned) and expired leases. */
  public List<String> tick(long nowMillis) {
    return coordinator.tick(nowMillis);
  }

  /**
   * This master is the active one now and logs the chunk lengths it learns: every known length not in the log yet is
   * queued, later ones as they grow (see {@link #takeChunkLengthsToLog}). A standby or shadow never calls this: it
   * learns lengths from the log. Idempotent.
   */
  public void startLoggingChunkLengths() {
    coordinator.startLoggingLengths();
  }

  /**
   * The next CHUNK_LENGTHS record for the active master to log: lengths it learned since {@link
   * #startLoggingChunkLengths} (and before it, not in the log yet), at most entriesMax; null when none is due. The log
   * then holds a floor of every chunk's length, so a later master shows it even when no replica of the chunk reports
   * again.
   */
  public LogRecord.ChunkLengths takeChunkLengthsToLog(int entriesMax) {
    return coordinator.takeLengthsToLog(entriesMax);
  }

  /** Chunks queued to have their known length logged (see {@link #takeChunkLengthsToLog}). */
  public int chunkLengthsUnlogged() {
    return coordinator.lengthsToLogCount();
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

  /** Issue 8: decommissioning, the balancer switch and chunk health for operators. */
  public ClusterOperations operations() {
    return coordinator.operations();
  }

  /** Issue 8: the status pages' lists of under-replicated and corrupt chunks and of leases. */
  public StatusListing statusListing() {
    return coordinator.listing();
  }

  // ---- checkpoints ----

  /** A copy of the durable state. The caller makes sure no mutation is between log append and apply. */
  public StateImage image() {
    return StateImages.image(tree, coordinator);
  }

  /** Loads a checkpoint into this fresh state. */
  public void restore(StateImage image) {
    StateImages.restore(image, tree, coordinator);
  }

  /** Loads a checkpoint into this fresh state as it is read (issue 6); a failure half-way leaves it unusable. */
  public ImageSink restorer() {
    return new StateRestore(tree, coordinator);
  }

  // ---- invariants ----

  /** Expensive whole-state checks, for tests after every step: throws IllegalStateException naming the breakage. */
  public void checkInvariants() {
    Map<Long, Integer> references = new HashMap<>();
    Map<Long, Integer> targets = new HashMap<>();
    long[] counts = new long[2];
    tree.visit((path, node) -> {
      if (node instanceof FileNode file) {
        counts[0]++;
        Check.state(file.replication >= 1 && file.replication <= REPLICATION_MAX, "%s replication %s", path,
            file.replication);
        file.chunkHandles().forEach(h -> references.merge(h, 1, Integer::sum));
        if (!SnapshotNames.inSnapshot(GfsPaths.components(path))) {
          file.chunkHandles().forEach(h -> targets.merge(h, file.replication, Math::max)); // snapshots follow
        }
      } else {
        counts[1]++;
        ((DirectoryNode) node).children.checkInvariants(); // sorted by the names the nodes carry
      }
      Check.state(path.equals("/") || path.endsWith("/" + node.name()), "%s is named %s", path, node.name());
    });
    Check.state(counts[0] == tree.fileCount(), "%s files in the tree, counter says %s", counts[0], tree.fileCount());
    Check.state(counts[1] == tree.directoryCount(), "%s directories in the tree, counter says %s", counts[1],
        tree.directoryCount());
    coordinator.checkInvariants(references, targets);
  }

  /** A path that may change: nothing inside a snapshot may (INVALID_PATH). */
  private List<String> writable(String path) {
    List<String> c = components(path);
    if (SnapshotNames.inSnapshot(c)) {
      throw StateException.of(StateError.INVALID_PATH, "%s is inside a snapshot: read-only", path);
    }
    return c;
  }

  /** The namespace, for {@link NamespaceAccess}'s permission checks (issue 7). */
  NamespaceTree tree() {
    return tree;
  }

  /** The stored form of a client's path: a file's snapshots are read as {@code <file>/.snapshot/<name>}. */
  List<String> components(String path) {
    try {
      return SnapshotNames.storedForm(GfsPaths.components(path), p -> tree.resolve(p).node() instanceof FileNode);
    } catch (GfsPaths.InvalidPathException e) {
      throw new StateException(StateError.INVALID_PATH, e.getMessage());
    }
  }
}
