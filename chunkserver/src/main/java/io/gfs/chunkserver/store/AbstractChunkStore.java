package io.gfs.chunkserver.store;

import io.gfs.chunkserver.store.BlockChecksums.ChangedBlocks;
import io.gfs.common.Check;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The part of a chunk store that does not care where bytes live: the chunk table, per-chunk locking (reads share,
 * mutations are exclusive) and the checksum rules of {@link BlockChecksums}. Subclasses move bytes.
 *
 * @param <M> where one chunk's bytes live (its files, or a byte array)
 */
abstract class AbstractChunkStore<M> implements ChunkStore {
  /** Bytes of checksum metadata beside each chunk besides the CRCs themselves. */
  static final int META_HEADER_BYTES = ChunkMetaFormat.HEADER_BYTES;

  /** One chunk: where it lives, its version and its checksums. Guarded by {@code lock}. */
  static final class Chunk<M> {
    final long handle;
    final M medium;
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    long version;
    BlockChecksums checksums;
    /** Non-null once the chunk's files cannot be trusted; then every data operation fails. */
    volatile String corruptReason;
    volatile long lengthBytes;
    /** The length the medium's header records as covered by CRCs; a store that keeps no header ignores it. */
    long persistedLengthBytes;
    boolean deleted;

    Chunk(long handle, M medium, long version, BlockChecksums checksums, String corruptReason) {
      this.handle = handle;
      this.medium = medium;
      this.version = version;
      this.checksums = checksums;
      this.corruptReason = corruptReason;
      this.lengthBytes = checksums == null ? 0 : checksums.lengthBytes();
      this.persistedLengthBytes = lengthBytes;
    }
  }

  /** A chunk as the subclass found it at load; checksums null when corrupt. */
  record Found<M>(long handle, M medium, long version, BlockChecksums checksums, String corruptReason) {}

  /** An I/O step on one chunk's bytes. */
  @FunctionalInterface
  interface BytesOperation<T> {
    T apply(BlockChecksums.Bytes bytes) throws IOException;
  }

  private final Map<Long, Chunk<M>> chunks = new ConcurrentHashMap<>();
  /** Handles with a build under way; guarded by {@code this}. */
  private final Set<Long> building = new HashSet<>();
  private volatile boolean loaded;

  /** Every chunk the medium holds. */
  abstract List<Found<M>> scan() throws IOException;

  /** Makes the empty, durable home of a new chunk. */
  abstract M createMedium(long handle, long version) throws IOException;

  abstract void persistVersion(Chunk<M> chunk, long version) throws IOException;

  /** Runs {@code operation} on the chunk's bytes; with {@code sync}, forces them to disk afterwards. */
  abstract <T> T withBytes(Chunk<M> chunk, boolean write, boolean sync, BytesOperation<T> operation)
      throws IOException;

  /**
   * Runs a read-only {@code operation} serving a read; the chunk's read lock is held. A store may keep what it opened
   * for the next read of the same chunk object (never of a deleted or replaced one: that is a new object).
   */
  <T> T withReadBytes(Chunk<M> chunk, BytesOperation<T> operation) throws IOException {
    return withBytes(chunk, false, false, operation);
  }

  /** Persists the CRCs of the changed blocks; with {@code sync}, durably. */
  abstract void persistChecksums(Chunk<M> chunk, ChangedBlocks changed, boolean sync) throws IOException;

  abstract void deleteMedium(Chunk<M> chunk) throws IOException;

  /** Makes the out-of-sight, durable-once-forced home of a replica being built. */
  abstract M createStaging(long handle, long version) throws IOException;

  /** Moves a forced staging replica to its real home, durably; any old replica's files are gone already. */
  abstract M publish(long handle, M staging) throws IOException;

  /** Removes a staging replica that will not be committed. */
  abstract void discardStaging(M staging);

  @Override
  public final synchronized List<StoredChunk> load() throws IOException {
    Check.state(!loaded, "chunk store loaded twice");
    List<StoredChunk> out = new ArrayList<>();
    for (Found<M> found : scan()) {
      Chunk<M> chunk = new Chunk<>(found.handle(), found.medium(), found.version(), found.checksums(),
          found.corruptReason());
      chunks.put(found.handle(), chunk);
      out.add(new StoredChunk(chunk.handle, chunk.version, chunk.lengthBytes, chunk.corruptReason));
    }
    loaded = true;
    return out;
  }

  @Override
  public final void create(long handle, long version) throws IOException {
    Check.argument(version >= 1, "chunk %s: version %s < 1", handle, version);
    Check.state(loaded, "chunk store used before load()");
    synchronized (this) {
      if (chunks.containsKey(handle)) {
        throw new IOException("chunk " + handle + " already exists");
      }
      M medium = createMedium(handle, version);
      chunks.put(handle, new Chunk<>(handle, medium, version, new BlockChecksums(handle, new int[0], 0), null));
    }
  }

  @Override
  public final void setVersion(long handle, long version) throws IOException {
    Chunk<M> chunk = locked(handle, true);
    try {
      Check.argument(version >= chunk.version, "chunk %s: version %s would go back to %s", handle, chunk.version,
          version);
      if (version != chunk.version) {
        persistVersion(chunk, version);
        chunk.version = version;
      }
    } finally {
      chunk.lock.writeLock().unlock();
    }
  }

  @Override
  public final long lengthBytes(long handle) throws IOException {
    Chunk<M> chunk = chunks.get(handle);
    if (chunk == null) {
      throw new NoSuchChunkException(handle);
    }
    return chunk.lengthBytes;
  }

  @Override
  public final byte[] read(long handle, long offsetBytes, int lengthBytes) throws IOException {
    Chunk<M> chunk = usable(handle, false);
    try {
      return withReadBytes(chunk, bytes -> chunk.checksums.read(bytes, offsetBytes, lengthBytes));
    } finally {
      chunk.lock.readLock().unlock();
    }
  }

  @Override
  public final ByteBuffer read(long handle, long offsetBytes, int lengthBytes, byte[] scratch) throws IOException {
    Chunk<M> chunk = usable(handle, false);
    try {
      return withReadBytes(chunk, bytes -> chunk.checksums.read(bytes, offsetBytes, lengthBytes, scratch));
    } finally {
      chunk.lock.readLock().unlock();
    }
  }

  @Override
  public final ByteBuffer read(long handle, long offsetBytes, int lengthBytes, ByteBuffer scratch) throws IOException {
    Chunk<M> chunk = usable(handle, false);
    try {
      return withReadBytes(chunk, bytes -> chunk.checksums.read(bytes, offsetBytes, lengthBytes, scratch));
    } finally {
      chunk.lock.readLock().unlock();
    }
  }

  @Override
  public final ChunkCrc chunkCrc(long handle) throws IOException {
    Chunk<M> chunk = usable(handle, false);
    try {
      return new ChunkCrc(chunk.checksums.lengthBytes(), chunk.checksums.wholeCrc());
    } finally {
      chunk.lock.readLock().unlock();
    }
  }

  @Override
  public final void verify(long handle) throws IOException {
    Chunk<M> chunk = usable(handle, false);
    try {
      withBytes(chunk, false, false, bytes -> {
        chunk.checksums.verifyAll(bytes);
        return null;
      });
    } finally {
      chunk.lock.readLock().unlock();
    }
  }

  @Override
  public final void verify(long handle, long offsetBytes, int lengthBytes, byte[] scratch) throws IOException {
    Chunk<M> chunk = usable(handle, false);
    try {
      withBytes(chunk, false, false, bytes -> {
        chunk.checksums.verify(bytes, offsetBytes, lengthBytes, scratch);
        return null;
      });
    } finally {
      chunk.lock.readLock().unlock();
    }
  }

  @Override
  public final void write(long handle, long offsetBytes, WriteBytes data, boolean sync) throws IOException {
    mutate(handle, sync, (chunk, bytes) -> chunk.checksums.write(bytes, offsetBytes, data));
  }

  @Override
  public final void padTo(long handle, long lengthBytes, boolean sync) throws IOException {
    mutate(handle, sync, (chunk, bytes) -> chunk.checksums.zeroFill(bytes, lengthBytes));
  }

  @FunctionalInterface
  private interface Mutation<M> {
    ChangedBlocks apply(Chunk<M> chunk, BlockChecksums.Bytes bytes) throws IOException;
  }

  private void mutate(long handle, boolean sync, Mutation<M> mutation) throws IOException {
    Chunk<M> chunk = usable(handle, true);
    try {
      ChangedBlocks changed = withBytes(chunk, true, sync, bytes -> mutation.apply(chunk, bytes));
      chunk.lengthBytes = chunk.checksums.lengthBytes();
      if (!changed.isEmpty() || sync) {
        persistChecksums(chunk, changed, sync);
      }
    } catch (ChecksumMismatchException e) {
      throw e; // refused before writing anything: the chunk is as it was
    } catch (IOException | RuntimeException e) {
      // The bytes on disk and the CRCs may now disagree in ways we cannot tell: stop trusting the chunk.
      chunk.corruptReason = "a write failed part way: " + e;
      throw e;
    } finally {
      chunk.lock.writeLock().unlock();
    }
  }

  @Override
  public final ChunkBuilder build(long handle, long version) throws IOException {
    Check.argument(version >= 1, "chunk %s: version %s < 1", handle, version);
    Check.state(loaded, "chunk store used before load()");
    synchronized (this) {
      if (!building.add(handle)) {
        throw new IOException("chunk " + handle + " is already being built");
      }
    }
    try {
      M staging = createStaging(handle, version);
      return new Builder(new Chunk<>(handle, staging, version, new BlockChecksums(handle, new int[0], 0), null));
    } catch (IOException | RuntimeException e) {
      synchronized (this) {
        building.remove(handle);
      }
      throw e;
    }
  }

  /** Builds in a staging medium with the same checksum code as every append; commit swaps it in. */
  private final class Builder implements ChunkBuilder {
    private final Chunk<M> staging;
    private boolean finished;

    Builder(Chunk<M> staging) {
      this.staging = staging;
    }

    @Override
    public void append(byte[] data, int offset, int length) throws IOException {
      Check.state(!finished, "chunk %s: append after commit or close", staging.handle);
      BlockChecksums checksums = staging.checksums;
      withBytes(staging, true, false, bytes -> checksums.write(bytes, checksums.lengthBytes(), data, offset, length));
      staging.lengthBytes = checksums.lengthBytes();
    }

    @Override
    public long lengthBytes() {
      return staging.checksums.lengthBytes();
    }

    @Override
    public ChunkCrc chunkCrc() {
      return new ChunkCrc(staging.checksums.lengthBytes(), staging.checksums.wholeCrc());
    }

    @Override
    public void commit() throws IOException {
      Check.state(!finished, "chunk %s: committed twice or after close", staging.handle);
      withBytes(staging, true, true, bytes -> null); // forces the data
      persistChecksums(staging, new ChangedBlocks(0, staging.checksums.blockCount()), true);
      long handle = staging.handle;
      synchronized (AbstractChunkStore.this) {
        Chunk<M> old = chunks.get(handle);
        if (old != null) {
          delete(handle); // its files go first: the new ones take their names
        }
        M home = publish(handle, staging.medium);
        finished = true;
        chunks.put(handle, new Chunk<>(handle, home, staging.version, staging.checksums, null));
        building.remove(handle);
      }
    }

    @Override
    public void close() {
      if (finished) {
        return;
      }
      finished = true;
      discardStaging(staging.medium);
      synchronized (AbstractChunkStore.this) {
        building.remove(staging.handle);
      }
    }
  }

  /**
   * Marks the chunk deleted under its write lock (every later operation on it then fails as absent, and none is under
   * way), then takes it out of the table and deletes its medium in one step under the store's monitor, the one
   * {@link #create} and a build's commit hold: a create of the same handle therefore comes either before (and fails,
   * the chunk still exists) or after the old files are gone, never in between, where deleting by name would take the
   * new chunk's files. The monitor is never taken while holding the chunk's lock (a commit takes them the other way
   * round), so waiting for the chunk's running operations does not hold up creates of other chunks.
   */
  @Override
  public final void delete(long handle) throws IOException {
    Chunk<M> chunk = chunks.get(handle);
    if (chunk == null) {
      return;
    }
    chunk.lock.writeLock().lock();
    try {
      chunk.deleted = true;
    } finally {
      chunk.lock.writeLock().unlock();
    }
    synchronized (this) {
      // A concurrent delete of the same chunk may have done it; it returns only after the files are gone too.
      if (chunks.remove(handle, chunk)) {
        deleteMedium(chunk);
      }
    }
  }

  @Override
  public final long usedBytes() {
    long sum = 0;
    for (Chunk<M> chunk : chunks.values()) {
      sum += chunk.lengthBytes + META_HEADER_BYTES + 4L * BlockChecksums.blockCount(chunk.lengthBytes);
    }
    return sum;
  }

  /** The chunk's recorded CRC of every block; for tests that check CRCs against a from-scratch computation. */
  public final int[] checksums(long handle) throws IOException {
    Chunk<M> chunk = usable(handle, false);
    try {
      return chunk.checksums.crcs();
    } finally {
      chunk.lock.readLock().unlock();
    }
  }

  /** Current version as the store persisted it. */
  public final long version(long handle) throws IOException {
    Chunk<M> chunk = locked(handle, false);
    try {
      return chunk.version;
    } finally {
      chunk.lock.readLock().unlock();
    }
  }

  final Chunk<M> chunk(long handle) throws NoSuchChunkException {
    Chunk<M> chunk = chunks.get(handle);
    if (chunk == null) {
      throw new NoSuchChunkException(handle);
    }
    return chunk;
  }

  /** The chunk, locked for reading or writing, or NoSuchChunkException. The caller unlocks. */
  private Chunk<M> locked(long handle, boolean write) throws IOException {
    Check.state(loaded, "chunk store used before load()");
    Chunk<M> chunk = chunk(handle);
    Lock lock = write ? chunk.lock.writeLock() : chunk.lock.readLock();
    lock.lock();
    if (chunk.deleted) {
      lock.unlock();
      throw new NoSuchChunkException(handle);
    }
    return chunk;
  }

  /** Like {@link #locked}, and refuses chunks whose files are untrustworthy. */
  private Chunk<M> usable(long handle, boolean write) throws IOException {
    Chunk<M> chunk = locked(handle, write);
    String reason = chunk.corruptReason;
    if (reason != null) {
      (write ? chunk.lock.writeLock() : chunk.lock.readLock()).unlock();
      throw new ChecksumMismatchException(handle, "chunk " + handle + " is corrupt: " + reason);
    }
    return chunk;
  }
}
