package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@link ChunkIndex#lengthSum} reads without the chunk monitor while its holder changes the index: rows move (inserts
 * in the middle, compactions), pages are added, chunks removed, lengths raised. Lengths here only grow and the watched
 * chunks stay, so every sum a reader sees must be at least the one it saw before and at most the final one; a read
 * torn by a move (a watched chunk not found where it was, or a stale page) would count less. Every watched chunk's
 * length is reported before the reader starts, so a sum of reported lengths only must never come back as not reported.
 */
class ChunkIndexLengthSumTest {
  private static final int WATCHED = 64;
  private static final int STEPS = 30_000;

  @Test
  void sumsReadBesideAWriterNeverGoBackwards() throws Exception {
    ChunkIndex index = new ChunkIndex();
    List<Long> watched = new ArrayList<>();
    for (int i = 0; i < WATCHED; i++) {
      long handle = 1_000_000L + i * 10_000L;
      index.put(handle, 1).lengthReported(true);
      watched.add(handle);
    }
    long finalSum = (long) WATCHED * (STEPS / WATCHED); // one raise by 1 for each of the steps below, in turn
    AtomicBoolean done = new AtomicBoolean();
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<Integer> reader = threads.submit(() -> {
        long last = 0;
        int reads = 0;
        while (!done.get()) {
          long sum = index.lengthSum(watched, reads % 2 == 0);
          assertTrue(sum >= last && sum <= finalSum, "sum " + sum + " after " + last + " (final " + finalSum + ")");
          last = sum;
          reads++;
        }
        return reads;
      });
      Future<?> writer = threads.submit(() -> {
        write(index, watched);
        return null;
      });
      writer.get(120, TimeUnit.SECONDS);
      done.set(true);
      assertTrue(reader.get(120, TimeUnit.SECONDS) > 0);
      assertEquals(finalSum, index.lengthSum(watched, true));
    } finally {
      done.set(true);
      threads.shutdownNow();
    }
  }

  /** The monitor holder's side: one thread, as under the chunk monitor. */
  private static void write(ChunkIndex index, List<Long> watched) {
    SplittableRandom random = new SplittableRandom(6);
    Set<Long> watchedSet = new HashSet<>(watched);
    List<Long> others = new ArrayList<>();
    for (int step = 0; step < STEPS - STEPS % watched.size(); step++) {
      long handle = random.nextLong(2_000_000L); // mostly between watched handles: rows move
      if (!watchedSet.contains(handle) && !index.containsKey(handle)) {
        index.put(handle, 1);
        others.add(handle);
      }
      if (others.size() > 3_000 || (!others.isEmpty() && random.nextInt(3) == 0)) {
        index.remove(others.remove(random.nextInt(others.size()))); // holes, compacted when the pages fill
      }
      ChunkInfo chunk = index.get(watched.get(step % watched.size()));
      chunk.knownLengthBytes(chunk.knownLengthBytes() + 1);
    }
  }
}
