package io.gfs.chunkserver.store;

import io.gfs.chunkserver.store.BlockChecksums.ChangedBlocks;
import io.gfs.chunkserver.store.ChunkMetaFormat.BadMetaException;
import io.gfs.common.Check;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chunks as files in one or more data directories: {@code <handle>.chunk} holds the bytes (its length is the chunk's
 * length) and {@code <handle>.meta} the version and block CRCs ({@link ChunkMetaFormat}). New chunks go to the
 * directories in turn. Writes open their files per operation; reads go through the chunk files read last, kept open
 * ({@link ReadChannels}, at most {@link #READ_CHANNELS_MAX}), so thousands of chunks never hold thousands of
 * descriptors. A file that cannot be parsed is reported as a corrupt chunk at load, never a reason to stop.
 */
public final class FileChunkStore extends AbstractChunkStore<FileChunkStore.ChunkFiles> {
  private static final Logger LOG = LoggerFactory.getLogger(FileChunkStore.class);
  private static final Pattern CHUNK_FILE = Pattern.compile("(-?[0-9]{1,20})\\.(chunk|meta)");
  /** A replica being built (a clone or a local copy); left over only by a crash, and removed at the next load. */
  private static final Pattern STAGING_FILE = Pattern.compile("(-?[0-9]{1,20})\\.(chunk|meta)\\.building");
  private static final String STAGING_SUFFIX = ".building";
  /** Chunk files kept open for reads; a random-read workload over more chunks than this opens some per read again. */
  static final int READ_CHANNELS_MAX = 128;

  /** Where one chunk lives. */
  record ChunkFiles(Path data, Path meta) {}

  private final List<Path> dataDirs;
  private final AtomicInteger nextDir = new AtomicInteger();
  private final ReadChannels readChannels;

  public FileChunkStore(List<Path> dataDirs) throws IOException {
    this(dataDirs, READ_CHANNELS_MAX);
  }

  /** With at most {@code readChannelsMax} chunk files kept open for reads (tests use a few). */
  FileChunkStore(List<Path> dataDirs, int readChannelsMax) throws IOException {
    Check.argument(!dataDirs.isEmpty(), "no data directories");
    this.dataDirs = List.copyOf(dataDirs);
    this.readChannels = new ReadChannels(readChannelsMax);
    for (Path dir : this.dataDirs) {
      Files.createDirectories(dir);
      if (!Files.isWritable(dir)) {
        throw new IOException("data directory " + dir + " is not writable");
      }
    }
  }

  public List<Path> dataDirs() {
    return dataDirs;
  }

  /** The data file of a chunk, for tests that damage it on purpose. */
  public Path dataFile(long handle) throws NoSuchChunkException {
    return chunk(handle).medium.data();
  }

  @Override
  List<Found<ChunkFiles>> scan() throws IOException {
    Map<Long, Path> homes = new TreeMap<>();
    for (Path dir : dataDirs) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          if (STAGING_FILE.matcher(file.getFileName().toString()).matches()) {
            LOG.info("removing {}, a replica whose copy a crash interrupted", file);
            Files.deleteIfExists(file);
            continue;
          }
          Matcher m = CHUNK_FILE.matcher(file.getFileName().toString());
          Long handle = m.matches() ? parseHandle(m.group(1)) : null;
          if (handle == null) {
            continue;
          }
          Path home = homes.putIfAbsent(handle, dir);
          if (home != null && !home.equals(dir)) {
            LOG.warn("chunk {} appears in both {} and {}; using {}, leaving {} alone", handle, home, dir, home, file);
          }
        }
      }
    }
    List<Found<ChunkFiles>> found = new ArrayList<>();
    homes.forEach((handle, dir) -> found.add(inspect(handle, files(dir, handle))));
    return found;
  }

  private static Long parseHandle(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static ChunkFiles files(Path dir, long handle) {
    return new ChunkFiles(dir.resolve(handle + ".chunk"), dir.resolve(handle + ".meta"));
  }

  /**
   * Reads one chunk's meta and checks it against the data file, repairing what a crash between the data and checksum
   * writes left ({@link TornTailRecovery}); any other problem makes it a corrupt chunk.
   */
  private static Found<ChunkFiles> inspect(long handle, ChunkFiles files) {
    try {
      if (!Files.exists(files.data())) {
        return corrupt(handle, files, 0, "data file " + files.data() + " is missing");
      }
      if (!Files.exists(files.meta())) {
        return corrupt(handle, files, 0, "meta file " + files.meta() + " is missing");
      }
      ChunkMetaFormat.Meta meta = ChunkMetaFormat.decode(Files.readAllBytes(files.meta()));
      TornTailRecovery.Verdict verdict;
      try (FileChannel data = FileChannel.open(files.data(), StandardOpenOption.READ)) {
        verdict = TornTailRecovery.examine(meta, data.size(), new ChannelBytes(handle, data));
      }
      if (verdict.corrupt()) {
        return corrupt(handle, files, meta.version(), verdict.corruptReason());
      }
      repair(handle, files, meta, verdict);
      return new Found<>(handle, files, meta.version(), new BlockChecksums(handle, verdict.crcs(),
          verdict.lengthBytes()), null);
    } catch (BadMetaException e) {
      return corrupt(handle, files, 0, files.meta() + ": " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      return corrupt(handle, files, 0, "cannot read its files: " + e);
    }
  }

  /** Applies the recovery's verdict to the files, and rewrites a format 1 meta in the current format. */
  private static void repair(long handle, ChunkFiles files, ChunkMetaFormat.Meta meta,
      TornTailRecovery.Verdict verdict) throws IOException {
    if (verdict.action() == TornTailRecovery.Action.TRUNCATE) {
      try (FileChannel data = FileChannel.open(files.data(), StandardOpenOption.WRITE)) {
        LOG.warn("chunk {}: cutting {} bytes a crash left past its checksummed length {}", handle,
            data.size() - verdict.lengthBytes(), verdict.lengthBytes());
        data.truncate(verdict.lengthBytes());
        data.force(true);
      }
    }
    if (verdict.action() == TornTailRecovery.Action.ROLL_FORWARD || meta.format() != ChunkMetaFormat.FORMAT_VERSION) {
      LOG.info("chunk {}: recording its checksummed length {} ({})", handle, verdict.lengthBytes(),
          verdict.action() == TornTailRecovery.Action.ROLL_FORWARD ? "the interrupted write reached disk whole"
              : "meta format " + meta.format() + " upgraded");
      // A whole new meta file, renamed into place: a crash now leaves the old one or the new one, never half.
      Path staging = files.meta().resolveSibling(files.meta().getFileName() + STAGING_SUFFIX);
      try (FileChannel channel = FileChannel.open(staging, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        writeFully(channel, ByteBuffer.wrap(ChunkMetaFormat.file(meta.version(), verdict.lengthBytes(),
            verdict.crcs())), 0);
        channel.force(true);
      }
      Files.move(staging, files.meta(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      forceDirectory(files.meta().getParent());
    }
  }

  private static Found<ChunkFiles> corrupt(long handle, ChunkFiles files, long version, String reason) {
    LOG.warn("chunk {} is corrupt: {}", handle, reason);
    return new Found<>(handle, files, version, null, reason);
  }

  @Override
  ChunkFiles createMedium(long handle, long version) throws IOException {
    Path dir = dataDirs.get(Math.floorMod(nextDir.getAndIncrement(), dataDirs.size()));
    ChunkFiles files = files(dir, handle);
    try (FileChannel data = FileChannel.open(files.data(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      data.force(true);
    }
    try (FileChannel meta = FileChannel.open(files.meta(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      writeFully(meta, ByteBuffer.wrap(ChunkMetaFormat.header(version, 0)), 0);
      meta.force(true);
    }
    forceDirectory(dir);
    return files;
  }

  @Override
  void persistVersion(Chunk<ChunkFiles> chunk, long version) throws IOException {
    try (FileChannel meta = FileChannel.open(chunk.medium.meta(), StandardOpenOption.WRITE)) {
      writeFully(meta, ByteBuffer.wrap(ChunkMetaFormat.header(version, chunk.persistedLengthBytes)), 0);
      meta.force(true);
    }
  }

  @Override
  <T> T withBytes(Chunk<ChunkFiles> chunk, boolean write, boolean sync, BytesOperation<T> operation)
      throws IOException {
    Path data = chunk.medium.data();
    try (FileChannel channel = write
        ? FileChannel.open(data, StandardOpenOption.READ, StandardOpenOption.WRITE)
        : FileChannel.open(data, StandardOpenOption.READ)) {
      T result = operation.apply(new ChannelBytes(chunk.handle, channel));
      if (sync) {
        channel.force(true);
      }
      return result;
    } catch (NoSuchFileException e) {
      // Removed behind the store's back (an operator, not gfs): reads must stop too, not go on through the kept
      // channel of the unlinked file until it is evicted; they now fail like this and mark the replica corrupt, and
      // its disk space is released. Found by the scrubber's pass (verify) or a write, both of which open by name.
      readChannels.forget(chunk.handle, chunk);
      throw new ChecksumMismatchException(chunk.handle, "chunk " + chunk.handle + ": data file " + data + " vanished");
    }
  }

  /**
   * A read through the chunk's kept channel. The chunk's read lock is held, so it is not deleted or replaced meanwhile;
   * a channel closed under this read by another reader's interrupt (FileChannel is interruptible, and the channel is
   * shared) is replaced once, and an interrupt of this thread still ends this read as it always did.
   */
  @Override
  <T> T withReadBytes(Chunk<ChunkFiles> chunk, BytesOperation<T> operation) throws IOException {
    Path data = chunk.medium.data();
    for (int attempt = 1; ; attempt++) {
      ReadChannels.Entry entry;
      try {
        entry = readChannels.acquire(chunk.handle, chunk, data);
      } catch (NoSuchFileException e) {
        throw new ChecksumMismatchException(chunk.handle, "chunk " + chunk.handle + ": data file " + data
            + " vanished");
      }
      try {
        return operation.apply(new ChannelBytes(chunk.handle, entry.channel()));
      } catch (ClosedChannelException e) {
        if (attempt > 1 || e instanceof ClosedByInterruptException || Thread.currentThread().isInterrupted()) {
          throw e;
        }
      } finally {
        readChannels.release(entry);
      }
    }
  }

  /** The chunk files kept open for reads; for tests. */
  ReadChannels readChannels() {
    return readChannels;
  }

  @Override
  void persistChecksums(Chunk<ChunkFiles> chunk, ChangedBlocks changed, boolean sync) throws IOException {
    try (FileChannel meta = FileChannel.open(chunk.medium.meta(), StandardOpenOption.WRITE)) {
      if (!changed.isEmpty()) {
        int[] crcs = chunk.checksums.crcs();
        writeFully(meta, ByteBuffer.wrap(ChunkMetaFormat.crcs(crcs, changed.firstBlock(), changed.endBlock())),
            ChunkMetaFormat.crcPosition(changed.firstBlock()));
      }
      // The length goes last: until it is written, a crash leaves a tail the next load cuts off (TornTailRecovery).
      long lengthBytes = chunk.checksums.lengthBytes();
      if (lengthBytes != chunk.persistedLengthBytes) {
        writeFully(meta, ByteBuffer.wrap(ChunkMetaFormat.header(chunk.version, lengthBytes)), 0);
        chunk.persistedLengthBytes = lengthBytes;
      }
      if (sync) {
        meta.force(true);
      }
    }
  }

  @Override
  void deleteMedium(Chunk<ChunkFiles> chunk) throws IOException {
    readChannels.forget(chunk.handle, chunk); // closed first: an open descriptor would keep the deleted bytes on disk
    Files.deleteIfExists(chunk.medium.meta());
    Files.deleteIfExists(chunk.medium.data());
  }

  @Override
  ChunkFiles createStaging(long handle, long version) throws IOException {
    ChunkFiles home = files(dataDirs.get(Math.floorMod(nextDir.getAndIncrement(), dataDirs.size())), handle);
    ChunkFiles staging = staging(home);
    try (FileChannel data = FileChannel.open(staging.data(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      data.force(true);
    }
    try (FileChannel meta = FileChannel.open(staging.meta(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      writeFully(meta, ByteBuffer.wrap(ChunkMetaFormat.header(version, 0)), 0);
    }
    return staging;
  }

  /**
   * Renames the forced staging files into place, data first: a crash between the two renames leaves a chunk file
   * without its meta, which the next load reports corrupt (and the master has deleted), never a half copy as good.
   */
  @Override
  ChunkFiles publish(long handle, ChunkFiles staging) throws IOException {
    ChunkFiles home = new ChunkFiles(unstaged(staging.data()), unstaged(staging.meta()));
    Files.move(staging.data(), home.data(), StandardCopyOption.ATOMIC_MOVE);
    Files.move(staging.meta(), home.meta(), StandardCopyOption.ATOMIC_MOVE);
    forceDirectory(home.data().getParent());
    return home;
  }

  @Override
  void discardStaging(ChunkFiles staging) {
    try {
      Files.deleteIfExists(staging.data());
      Files.deleteIfExists(staging.meta());
    } catch (IOException e) {
      LOG.warn("cannot remove the unfinished copy {}: {}; the next load removes it", staging.data(), e.toString());
    }
  }

  private static ChunkFiles staging(ChunkFiles home) {
    return new ChunkFiles(home.data().resolveSibling(home.data().getFileName() + STAGING_SUFFIX),
        home.meta().resolveSibling(home.meta().getFileName() + STAGING_SUFFIX));
  }

  private static Path unstaged(Path staging) {
    String name = staging.getFileName().toString();
    Check.state(name.endsWith(STAGING_SUFFIX), "%s is not a staging file", staging);
    return staging.resolveSibling(name.substring(0, name.length() - STAGING_SUFFIX.length()));
  }

  @Override
  public long availableBytes() throws IOException {
    long sum = 0;
    Set<FileStore> seen = new HashSet<>();
    for (Path dir : dataDirs) {
      FileStore fileStore = Files.getFileStore(dir);
      if (seen.add(fileStore)) {
        sum += fileStore.getUsableSpace();
      }
    }
    return sum;
  }

  @Override
  public void close() {
    readChannels.close(); // only read channels are held open between operations
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory; the files themselves are forced, which is what matters most.
      LOG.debug("cannot force directory {}: {}", dir, e.toString());
    }
  }

  /**
   * At most this many bytes per {@code pwrite}. A buffered write gets page-cache folios about as large as the write
   * (ext4's large folios), and the copy into a new folio costs what the memory under it costs: on the VM measured
   * (2-core Firecracker guest whose freed memory goes back to the host) the store's 256 KiB writes spent 5.2-10.5 s per
   * GiB written in that copy ({@code copy_folio_from_iter_atomic}, perf, {@code bench seq}), HDFS's DataNodes in the
   * same runs 0.2-0.9 s, and 32 KiB writes 0.2-2.3 s. Probably small folios come from recently freed pages far more
   * often than 256 KiB ones, which are carved from memory the host has taken back (docs/benchmarks.md).
   * Bigger calls cost more still (1 GiB to a new file: 4 MiB calls 1.4-3.4 s of CPU, 256 KiB calls 0.16-0.30 s). A
   * heap source also goes through the JDK's per-thread temporary direct buffer, which this keeps at this size.
   */
  static final int WRITE_SLICE_BYTES = 32 << 10;

  static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    long at = position;
    int end = buffer.limit();
    try {
      while (buffer.position() < end) {
        buffer.limit((int) Math.min(end, (long) buffer.position() + WRITE_SLICE_BYTES));
        while (buffer.hasRemaining()) {
          at += channel.write(buffer, at);
        }
      }
    } finally {
      buffer.limit(end);
    }
  }

  /** Positional reads and writes on an open chunk file. */
  private record ChannelBytes(long handle, FileChannel channel) implements BlockChecksums.Bytes {
    @Override
    public void read(long positionBytes, byte[] target, int targetOffset, int lengthBytes) throws IOException {
      read(positionBytes, ByteBuffer.wrap(target, targetOffset, lengthBytes));
    }

    /** Straight into a direct buffer; a heap one goes through the JDK's temporary direct buffer. */
    @Override
    public void read(long positionBytes, ByteBuffer buffer) throws IOException {
      long at = positionBytes;
      while (buffer.hasRemaining()) {
        int n = channel.read(buffer, at);
        if (n < 0) {
          throw new ChecksumMismatchException(handle, "chunk " + handle + ": data file ends at " + at
              + ", before the recorded length", new EOFException());
        }
        at += n;
      }
    }

    @Override
    public void write(long positionBytes, byte[] source, int sourceOffset, int lengthBytes) throws IOException {
      writeFully(channel, ByteBuffer.wrap(source, sourceOffset, lengthBytes), positionBytes);
    }
  }
}
