package io.gfs.bench.micro;

import io.gfs.chunkserver.store.InMemoryChunkStore;
import io.gfs.common.Crc32c;
import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The chunkserver's checksum hot path on 1 MiB (one read RPC's worth): CRC32C compute, a verified read from the
 * chunk store (every 64 KiB block's CRC checked, then copied out), and the same copy without any check, so the
 * difference is what verification costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChecksumBench {
  /** Bytes per operation of every benchmark here. */
  public static final int PIECE_BYTES = 1 << 20;
  private static final int CHUNK_BYTES = 64 << 20;
  private static final long HANDLE = 1;

  private byte[] piece;
  private byte[] chunk;
  private byte[] target;
  private InMemoryChunkStore store;
  private long offset;

  @Setup
  public void setUp() throws IOException {
    SplittableRandom random = new SplittableRandom(7);
    chunk = new byte[CHUNK_BYTES];
    for (int i = 0; i < chunk.length; i += 8) {
      long v = random.nextLong();
      for (int j = 0; j < 8; j++) {
        chunk[i + j] = (byte) (v >>> (8 * j));
      }
    }
    piece = java.util.Arrays.copyOf(chunk, PIECE_BYTES);
    target = new byte[PIECE_BYTES];
    store = new InMemoryChunkStore();
    store.load();
    store.create(HANDLE, 1);
    store.write(HANDLE, 0, chunk, 0, chunk.length, false);
  }

  @TearDown
  public void tearDown() {
    store.close();
  }

  private long nextOffset() {
    offset = (offset + PIECE_BYTES) % CHUNK_BYTES;
    return offset;
  }

  @Benchmark
  public int crc32cCompute() {
    return Crc32c.of(piece, 0, piece.length);
  }

  @Benchmark
  public byte[] verifiedStoreRead() throws IOException {
    return store.read(HANDLE, nextOffset(), PIECE_BYTES);
  }

  @Benchmark
  public byte[] unverifiedCopy() {
    long at = nextOffset();
    byte[] out = new byte[PIECE_BYTES];
    System.arraycopy(chunk, (int) at, out, 0, PIECE_BYTES);
    target = out;
    return out;
  }
}
