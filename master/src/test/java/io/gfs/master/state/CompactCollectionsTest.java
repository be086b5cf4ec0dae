package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The chunk table's compact containers (issue 6) against the JDK collections they replaced, on seeded random
 * operation sequences: same contents, same (sorted) order after every step.
 */
class CompactCollectionsTest {
  private static final int STEPS = 20_000;

  @Test
  void chunkIndexBehavesLikeATreeMapInHandleOrder() {
    SplittableRandom random = new SplittableRandom(6);
    ChunkIndex index = new ChunkIndex();
    TreeMap<Long, ChunkInfo> reference = new TreeMap<>();
    long counter = 1;
    for (int step = 0; step < STEPS; step++) {
      int op = random.nextInt(10);
      if (op < 5 || reference.isEmpty()) {
        // Mostly the counter's next handle (an append); sometimes an older one (a late-logged reservation).
        long handle = op == 0 ? 1 + random.nextLong(counter) : counter++;
        if (!reference.containsKey(handle)) {
          ChunkInfo chunk = new ChunkInfo(handle, 1);
          index.put(chunk);
          reference.put(handle, chunk);
        }
      } else {
        long handle = 1 + random.nextLong(counter);
        assertEquals(reference.remove(handle), index.remove(handle), "remove " + handle);
      }
      long probe = random.nextLong(counter + 2);
      assertEquals(reference.get(probe), index.get(probe), "get " + probe);
      assertEquals(reference.size(), index.size());
    }
    assertEquals(new ArrayList<>(reference.values()), new ArrayList<>(index.values()));
  }

  @Test
  void chunkIndexIterationFailsFastWhenEntriesMove() {
    ChunkIndex index = new ChunkIndex();
    index.put(new ChunkInfo(5, 1));
    index.put(new ChunkInfo(7, 1));
    Iterator<ChunkInfo> it = index.values().iterator();
    it.next();
    index.put(new ChunkInfo(6, 1)); // into the middle: entries move
    assertThrows(ConcurrentModificationException.class, it::hasNext);
  }

  @Test
  void longHashSetBehavesLikeATreeSet() {
    SplittableRandom random = new SplittableRandom(7);
    LongHashSet set = new LongHashSet();
    TreeSet<Long> reference = new TreeSet<>();
    for (int step = 0; step < STEPS; step++) {
      long handle = 1 + random.nextLong(step < STEPS / 2 ? 5_000 : 500); // grow, then shrink back
      if (random.nextInt(3) == 0 || step >= STEPS / 2) {
        assertEquals(reference.remove(handle), set.remove(handle), "remove " + handle);
      } else {
        assertEquals(reference.add(handle), set.add(handle), "add " + handle);
      }
      long probe = 1 + random.nextLong(5_000);
      assertEquals(reference.contains(probe), set.contains(probe), "contains " + probe);
      assertEquals(reference.size(), set.size());
    }
    assertEquals(List.copyOf(reference), toList(set.toSortedArray()));
    assertThrows(IllegalArgumentException.class, () -> set.add(0));
  }

  @Test
  void replicaMapAndServerIdSetBehaveLikeTreeMapAndTreeSet() {
    SplittableRandom random = new SplittableRandom(8);
    ReplicaMap map = new ReplicaMap();
    TreeMap<String, ChunkInfo.Replica> referenceMap = new TreeMap<>();
    ServerIdSet set = new ServerIdSet();
    TreeSet<String> referenceSet = new TreeSet<>();
    for (int step = 0; step < STEPS; step++) {
      String id = "cs" + random.nextInt(12);
      if (random.nextBoolean()) {
        ChunkInfo.Replica replica = new ChunkInfo.Replica(step);
        assertEquals(referenceMap.put(id, replica), map.put(id, replica));
        assertEquals(referenceSet.add(id), set.add(id));
      } else {
        assertEquals(referenceMap.remove(id), map.remove(id));
        assertEquals(referenceSet.remove(id), set.remove(id));
      }
      assertEquals(referenceMap, map);
      assertEquals(List.copyOf(referenceMap.keySet()), List.copyOf(map.keySet()), "id order");
      assertEquals(List.copyOf(referenceSet), List.copyOf(set), "id order");
    }
  }

  private static List<Long> toList(long[] values) {
    List<Long> out = new ArrayList<>();
    for (long v : values) {
      out.add(v);
    }
    return out;
  }
}
