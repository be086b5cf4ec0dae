package io.gfs.chunkserver.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.RecordAppendRequest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Eight appenders on three real chunkservers with a small chunk size, so records keep hitting the chunk boundary
 * [0104-0111]: every acknowledged record must sit at its returned offset on all three replicas, records in a chunk
 * must follow each other without overlap, and full chunks must end in zeros up to the chunk size.
 */
class RecordAppendIT extends ThreeChunkServersTest {
  private static final int THREADS = 8;
  private static final int RECORDS_PER_THREAD = 4;
  private static final long CHUNK_SIZE = 9L << 20;
  private static final int RECORD_BYTES = 2 << 20;

  final AtomicLong currentHandle = new AtomicLong(1000);
  final AtomicLong nextDataId = new AtomicLong(1);

  record Ack(long handle, long offset, int thread, int sequence, int length) {}

  @BeforeEach
  void allocateTheFirstChunk() throws Exception {
    allocate(currentHandle.get());
  }

  RecordAppendIT() {
    super(1L);
  }

  private void allocate(long handle) throws Exception {
    cluster.assign(handle, 1, true, 0, 600_000, 0, 1, 2);
  }

  /** The master's part: after CHUNK_FULL on {@code full}, the file's next chunk exists (made once). */
  private synchronized long next(long full) throws Exception {
    if (currentHandle.get() == full) {
      allocate(full + 1);
      currentHandle.set(full + 1);
    }
    return currentHandle.get();
  }

  /** A record's bytes are a function of who wrote it, so the check can rebuild them. */
  static byte[] record(int thread, int sequence) {
    int length = RECORD_BYTES - (thread * RECORDS_PER_THREAD + sequence) * 4099;
    byte[] data = new byte[length];
    new Random(thread * 1000L + sequence).nextBytes(data);
    ByteBuffer.wrap(data).putInt(thread).putInt(sequence);
    return data;
  }

  private List<Ack> appender(int thread) throws Exception {
    List<Ack> acks = new ArrayList<>();
    int[][] chains = {{0, 1, 2}, {1, 2, 0}, {2, 0, 1}};
    for (int sequence = 0; sequence < RECORDS_PER_THREAD; sequence++) {
      byte[] data = record(thread, sequence);
      long handle = currentHandle.get();
      while (true) {
        long dataId = nextDataId.getAndIncrement();
        cluster.push(dataId, data, cluster.chain(chains[thread % chains.length]));
        RecordAppendRequest request = new RecordAppendRequest(handle, 1, dataId, data.length,
            List.of(cluster.wire(1), cluster.wire(2)), false, CHUNK_SIZE);
        try {
          long offset = cluster.call(0, c -> c.recordAppend(request));
          acks.add(new Ack(handle, offset, thread, sequence, data.length));
          break;
        } catch (GfsException e) {
          assertEquals(ErrorCode.CHUNK_FULL, e.getCode(), e.getMessage());
          handle = next(handle);
        }
      }
    }
    return acks;
  }

  @Test
  void everyAcknowledgedRecordIsIntactAtItsOffsetOnEveryReplica() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Ack> acks = new ArrayList<>();
    try {
      List<Future<List<Ack>>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        futures.add(pool.submit(() -> appender(thread)));
      }
      for (Future<List<Ack>> future : futures) {
        acks.addAll(future.get(5, TimeUnit.MINUTES));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(THREADS * RECORDS_PER_THREAD, acks.size());
    Map<Long, List<Ack>> byChunk = new TreeMap<>();
    for (Ack ack : acks) {
      byChunk.computeIfAbsent(ack.handle(), h -> new ArrayList<>()).add(ack);
    }
    long lastHandle = currentHandle.get();
    assertTrue(byChunk.size() >= 3, "the appends crossed chunk boundaries: " + byChunk.keySet());
    for (Map.Entry<Long, List<Ack>> chunk : byChunk.entrySet()) {
      checkChunk(chunk.getKey(), chunk.getValue(), chunk.getKey() != lastHandle);
    }
  }

  private void checkChunk(long handle, List<Ack> acks, boolean full) throws Exception {
    List<Ack> sorted = new ArrayList<>(acks);
    sorted.sort((a, b) -> Long.compare(a.offset(), b.offset()));
    long end = 0;
    for (Ack ack : sorted) {
      // With no failures the primary places records back to back: no overlap, no hole.
      assertEquals(end, ack.offset(), "chunk " + handle + " records " + Collections.unmodifiableList(sorted));
      end = ack.offset() + ack.length();
      byte[] expected = record(ack.thread(), ack.sequence());
      for (int r = 0; r < 3; r++) {
        assertArrayEquals(expected, cluster.read(r, handle, 1, ack.offset(), ack.length()),
            "replica " + r + " of chunk " + handle + " at " + ack.offset());
      }
    }
    for (int r = 0; r < 3; r++) {
      long length = cluster.call(r, c -> c.read(handle, 1, 0, 0, null)).getChunkLengthBytes();
      if (full) {
        assertEquals(CHUNK_SIZE, length, "replica " + r + " padded chunk " + handle + " to the chunk size");
        byte[] padding = cluster.read(r, handle, 1, end, (int) (CHUNK_SIZE - end));
        assertArrayEquals(new byte[padding.length], padding, "padding of chunk " + handle + " on replica " + r);
      } else {
        assertEquals(end, length, "replica " + r + " of the last chunk " + handle);
      }
    }
  }
}
