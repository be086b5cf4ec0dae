package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
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
  void chunkReplicasAndCorruptListBehaveLikeTreeMapAndTreeSet() {
    SplittableRandom random = new SplittableRandom(8);
    ReplicaArrays shared = new ReplicaArrays();
    ChunkInfo chunk = new ChunkInfo(1, 1);
    ChunkInfo other = new ChunkInfo(2, 1);
    TreeMap<String, ChunkInfo.Replica> referenceMap = new TreeMap<>();
    TreeSet<String> referenceSet = new TreeSet<>();
    for (int step = 0; step < STEPS; step++) {
      String id = "cs" + random.nextInt(12);
      if (random.nextBoolean()) {
        // Mostly shared plain states, sometimes a chunk-own one (a recent grant, a corrupt copy).
        ChunkInfo.Replica replica = random.nextInt(4) == 0
            ? new ChunkInfo.Replica(step, random.nextBoolean(), step)
            : shared.plain(random.nextInt(3), ChunkInfo.Replica.NEVER_CONFIRMED);
        assertEquals(referenceMap.put(id, replica) == null, chunk.putReplica(id, replica, shared));
        assertEquals(referenceSet.add(id), !chunk.isCorruptOn(id));
        chunk.addCorruptOn(id);
        other.putReplica(id, shared.plain(1, ChunkInfo.Replica.NEVER_CONFIRMED), shared);
      } else {
        assertEquals(referenceMap.remove(id) != null, chunk.removeReplica(id, shared));
        assertEquals(referenceSet.remove(id), chunk.isCorruptOn(id));
        chunk.removeCorruptOn(id);
      }
      assertEquals(referenceMap, chunk.replicas());
      assertEquals(List.copyOf(referenceMap.keySet()), List.copyOf(chunk.replicas().keySet()), "id order");
      assertEquals(List.copyOf(referenceMap.keySet()), List.of(chunk.replicaIds()), "id order");
      referenceMap.forEach((serverId, replica) -> assertSame(replica, chunk.replica(serverId)));
      assertEquals(List.copyOf(referenceSet), chunk.corruptOn(), "id order");
      assertEquals(!referenceSet.isEmpty(), chunk.hasCorruptCopies());
    }
    // Another chunk with the same replicas shares its arrays; a change to one leaves the other alone.
    ChunkInfo twin = new ChunkInfo(3, 1);
    for (String id : other.replicaIds()) {
      twin.putReplica(id, shared.plain(1, ChunkInfo.Replica.NEVER_CONFIRMED), shared);
    }
    assertSame(other.replicaIds(), twin.replicaIds());
    String first = twin.replicaIds()[0];
    twin.removeReplica(first, shared);
    assertEquals(12, other.replicaIds().length);
    assertFalse(List.of(twin.replicaIds()).contains(first));
  }

  @Test
  void plainStatesAreSharedAndOthersAreNot() {
    ReplicaArrays shared = new ReplicaArrays();
    assertSame(shared.plain(3, ChunkInfo.Replica.NEVER_CONFIRMED), shared.plain(3, ChunkInfo.Replica.NEVER_CONFIRMED));
    assertSame(shared.plain(3, ChunkInfo.Replica.CONFIRMED_LONG_AGO),
        shared.plain(3, ChunkInfo.Replica.CONFIRMED_LONG_AGO));
    assertEquals(new ChunkInfo.Replica(1L << 40, false, ChunkInfo.Replica.NEVER_CONFIRMED),
        shared.plain(1L << 40, ChunkInfo.Replica.NEVER_CONFIRMED));
    ChunkInfo.Replica recent = new ChunkInfo.Replica(3, false, 12_345);
    ChunkInfo.Replica[] own = {recent, recent};
    assertSame(own, shared.states(own));
    ChunkInfo.Replica plain = shared.plain(2, ChunkInfo.Replica.NEVER_CONFIRMED);
    ChunkInfo.Replica[] first = shared.states(new ChunkInfo.Replica[] {plain, plain});
    assertSame(first, shared.states(new ChunkInfo.Replica[] {plain, plain}));
  }
}
