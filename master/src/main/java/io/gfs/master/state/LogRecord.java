package io.gfs.master.state;

import io.gfs.common.Check;
import java.util.Arrays;
import java.util.List;

/**
 * One durable metadata mutation [0050]. Every non-deterministic choice (a new chunk handle, a timestamp) is inside the
 * record, so applying the same records in the same order always builds the same state: live, on restart replay, and
 * later on a shadow master tailing the log. Replica locations are not logged: chunkservers report them [0048]. Chunk
 * lengths come from their reports too; the active master logs what it learned of them ({@link ChunkLengths}) so a
 * later master knows a floor for each even when no replica of it is left.
 */
public sealed interface LogRecord {
  /** Stable numbers for the log encoding; never reuse one. */
  enum Kind {
    MKDIR(1), CREATE(2), DELETE(3), RENAME(4), ADD_CHUNK(5), SET_VERSION(6), SET_PERMISSION(7), SET_OWNER(8),
    SET_TIMES(9), SET_REPLICATION(10), CONCAT(11), SNAPSHOT(12), COPY_ON_WRITE(13), SET_POLICY(14), ABANDON_CHUNK(15),
    CHUNK_LENGTHS(16),
    // HA kinds (issue 4) are numbered from 40 so namespace kinds added meanwhile keep counting from 14.
    NEW_TERM(40), REQUESTED(41);

    public final int code;

    Kind(int code) {
      this.code = code;
    }

    public static Kind of(int code) {
      for (Kind kind : values()) {
        if (kind.code == code) {
          return kind;
        }
      }
      throw new IllegalArgumentException("unknown log record kind " + code);
    }
  }

  Kind kind();

  /**
   * Creates the directory and every missing ancestor. permission is the new directory's; null (records of older
   * masters) means its parent's owner and group with the default permission.
   */
  record Mkdir(String path, long mtimeMillis, PermissionStatus permission) implements LogRecord {
    public Mkdir {
      Check.notNull(path, "path");
    }

    public Mkdir(String path, long mtimeMillis) {
      this(path, mtimeMillis, null);
    }

    @Override
    public Kind kind() {
      return Kind.MKDIR;
    }
  }

  /**
   * Creates an empty file; with overwrite an existing file there is replaced and its chunks released. permission null
   * (records of older masters) means the parent's owner and group with the default file permission.
   */
  record Create(String path, int replication, long mtimeMillis, boolean overwrite, boolean createParent,
      PermissionStatus permission) implements LogRecord {
    public Create {
      Check.notNull(path, "path");
      Check.argument(replication > 0, "replication %s <= 0", replication);
    }

    public Create(String path, int replication, long mtimeMillis, boolean overwrite, boolean createParent) {
      this(path, replication, mtimeMillis, overwrite, createParent, null);
    }

    @Override
    public Kind kind() {
      return Kind.CREATE;
    }
  }

  record Delete(String path, boolean recursive) implements LogRecord {
    public Delete {
      Check.notNull(path, "path");
    }

    @Override
    public Kind kind() {
      return Kind.DELETE;
    }
  }

  record Rename(String source, String destination, long mtimeMillis) implements LogRecord {
    public Rename {
      Check.notNull(source, "source");
      Check.notNull(destination, "destination");
    }

    @Override
    public Kind kind() {
      return Kind.RENAME;
    }
  }

  /** Appends a new chunk to a file; the handle comes from the master's persisted counter [0046]. */
  record AddChunk(String path, long chunkIndex, long handle, long version, long mtimeMillis) implements LogRecord {
    public AddChunk {
      Check.notNull(path, "path");
      Check.argument(chunkIndex >= 0 && handle > 0 && version > 0, "bad chunk %s/%s/%s", chunkIndex, handle, version);
    }

    @Override
    public Kind kind() {
      return Kind.ADD_CHUNK;
    }
  }

  /**
   * Drops a file's last chunk that no chunkserver ever held: its ADD_CHUNK was logged, then the master died (or every
   * creation failed) before any replica existed, so no byte of it was ever written. As HDFS's lease recovery removes a
   * last block with no replica and no bytes.
   */
  record AbandonChunk(String path, long chunkIndex, long handle) implements LogRecord {
    public AbandonChunk {
      Check.notNull(path, "path");
      Check.argument(chunkIndex >= 0 && handle > 0, "bad chunk %s/%s", chunkIndex, handle);
    }

    @Override
    public Kind kind() {
      return Kind.ABANDON_CHUNK;
    }
  }

  /** A new chunk version: logged BEFORE any chunkserver hears of it, so versions never go backwards [0079-0080]. */
  record SetVersion(long handle, long version) implements LogRecord {
    public SetVersion {
      Check.argument(handle > 0 && version > 0, "bad handle/version %s/%s", handle, version);
    }

    @Override
    public Kind kind() {
      return Kind.SET_VERSION;
    }
  }

  /** New permission bits of a file or directory (owner and group unchanged). */
  record SetPermission(String path, short permission) implements LogRecord {
    public SetPermission {
      Check.notNull(path, "path");
      Check.argument(PermissionStatus.validPermission(permission), "permission %s", permission);
    }

    @Override
    public Kind kind() {
      return Kind.SET_PERMISSION;
    }
  }

  /** New owner and/or group; a null one stays as it is. */
  record SetOwner(String path, String owner, String group) implements LogRecord {
    public SetOwner {
      Check.notNull(path, "path");
      Check.argument(owner == null || PermissionStatus.validName(owner), "bad owner '%s'", owner);
      Check.argument(group == null || PermissionStatus.validName(group), "bad group '%s'", group);
    }

    @Override
    public Kind kind() {
      return Kind.SET_OWNER;
    }
  }

  /** Exact times; {@link #UNCHANGED} leaves one as it is. */
  record SetTimes(String path, long modificationTimeMillis, long accessTimeMillis) implements LogRecord {
    public static final long UNCHANGED = -1;

    public SetTimes {
      Check.notNull(path, "path");
      Check.argument(modificationTimeMillis >= UNCHANGED && accessTimeMillis >= UNCHANGED, "bad times %s/%s",
          modificationTimeMillis, accessTimeMillis);
    }

    @Override
    public Kind kind() {
      return Kind.SET_TIMES;
    }
  }

  /** A file's new replication target. */
  record SetReplication(String path, int replication) implements LogRecord {
    public SetReplication {
      Check.notNull(path, "path");
      Check.argument(replication > 0, "replication %s <= 0", replication);
    }

    @Override
    public Kind kind() {
      return Kind.SET_REPLICATION;
    }
  }

  /** The sources' chunks appended to the target's, the sources removed: metadata only, no data moves. */
  record Concat(String target, List<String> sources, long mtimeMillis) implements LogRecord {
    public Concat {
      Check.notNull(target, "target");
      sources = List.copyOf(sources);
      Check.argument(!sources.isEmpty(), "concat without sources");
    }

    @Override
    public Kind kind() {
      return Kind.CONCAT;
    }
  }

  /**
   * Snapshot [0113-0115]: the tree at path (a directory, or a file) duplicated, metadata only, under storage (see
   * {@link SnapshotNames}); every chunk it refers to gains a reference.
   */
  record Snapshot(String path, String storage, long mtimeMillis) implements LogRecord {
    public Snapshot {
      Check.notNull(path, "path");
      Check.notNull(storage, "storage");
    }

    @Override
    public Kind kind() {
      return Kind.SNAPSHOT;
    }
  }

  /** A directory's policy (see {@link Policy}); -1 inherits. */
  record SetPolicy(String path, int replication, long gcRetentionMillis) implements LogRecord {
    public SetPolicy {
      Check.notNull(path, "path");
      Check.argument(Policy.valid(replication, gcRetentionMillis), "policy %s/%s", replication, gcRetentionMillis);
    }

    @Override
    public Kind kind() {
      return Kind.SET_POLICY;
    }
  }

  /**
   * Copy-on-write of a shared chunk [0116]: chunk chunkIndex of the file is newHandle from now on (a local copy of
   * oldHandle at version, made on the chunkservers before this record), and oldHandle loses this file's reference.
   */
  record CopyOnWrite(String path, long chunkIndex, long oldHandle, long newHandle, long version, long mtimeMillis)
      implements LogRecord {
    public CopyOnWrite {
      Check.notNull(path, "path");
      Check.argument(chunkIndex >= 0 && oldHandle > 0 && newHandle > 0 && version > 0 && oldHandle != newHandle,
          "bad copy-on-write %s/%s/%s/%s", chunkIndex, oldHandle, newHandle, version);
    }

    @Override
    public Kind kind() {
      return Kind.COPY_ON_WRITE;
    }
  }

  /**
   * Chunk lengths the active master learned from reports (a current replica's heartbeat, or a writer's report), logged
   * after the fact and in batches: each is a floor of the chunk's length, never more than a replica held. Applying one
   * raises a chunk's known length to it (lengths never shrink) and ignores a chunk gone since; a length of a whole
   * chunk also makes it reported, since nothing can lie past it. A length short of the last acknowledged bytes (they
   * came after the batch) is not reported, so lookups still wait for the chunkservers before they show it; but after
   * they settle, a chunk no live server holds shows this floor instead of 0, and reading it fails instead of a reader
   * taking a short file for the whole one.
   */
  record ChunkLengths(long[] handles, int[] lengthsBytes) implements LogRecord {
    /** Entries in one record: 12 bytes each keep it well inside the codec's 64 KiB payload limit. */
    public static final int ENTRIES_MAX = 4096;

    public ChunkLengths {
      Check.notNull(handles, "handles");
      Check.notNull(lengthsBytes, "lengthsBytes");
      Check.argument(handles.length == lengthsBytes.length && handles.length > 0 && handles.length <= ENTRIES_MAX,
          "%s handles and %s lengths (1 to %s entries)", handles.length, lengthsBytes.length, ENTRIES_MAX);
      for (int i = 0; i < handles.length; i++) {
        if (handles[i] <= 0 || lengthsBytes[i] < 0) { // not Check: no varargs array per entry
          throw new IllegalArgumentException("bad chunk length " + handles[i] + "/" + lengthsBytes[i]);
        }
      }
    }

    @Override
    public Kind kind() {
      return Kind.CHUNK_LENGTHS;
    }

    // Arrays compare by identity in a record: records are compared by value (tests, the codec's round trip).
    @Override
    public boolean equals(Object o) {
      return o instanceof ChunkLengths other && Arrays.equals(handles, other.handles)
          && Arrays.equals(lengthsBytes, other.lengthsBytes);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(handles) + Arrays.hashCode(lengthsBytes);
    }

    @Override
    public String toString() {
      return "ChunkLengths[" + handles.length + " chunks, first " + handles[0] + "=" + lengthsBytes[0] + "]";
    }
  }

  /**
   * An elected master opened term {@code epoch} (issue 4): the first record it logs, before it serves. Changes nothing
   * in the namespace; it marks where in the log each term begins, so log replicas and shadows can refuse a stream from
   * a lower term.
   */
  record NewTerm(long epoch, long startMillis) implements LogRecord {
    public NewTerm {
      Check.argument(epoch > 0, "bad term epoch %s", epoch);
    }

    @Override
    public Kind kind() {
      return Kind.NEW_TERM;
    }
  }

  /**
   * A client's non-idempotent call (issue 4): the mutation it made, with the client's request id and the time the
   * active master decided it. Applying it applies {@code mutation} and remembers the call in the {@link RetryCache},
   * in the same record, so the cache entry exists exactly when the mutation does: live, on replay, on standbys and
   * on shadows.
   */
  record Requested(RetryCache.Key key, long atMillis, LogRecord mutation) implements LogRecord {
    public Requested {
      Check.notNull(key, "key");
      Check.notNull(mutation, "mutation");
      Check.argument(!(mutation instanceof Requested) && !(mutation instanceof NewTerm), "cannot tag a %s record",
          mutation.kind());
    }

    @Override
    public Kind kind() {
      return Kind.REQUESTED;
    }
  }
}
