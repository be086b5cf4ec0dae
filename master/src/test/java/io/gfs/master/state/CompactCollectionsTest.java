package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    TreeMap<Long, Long> reference = new TreeMap<>(); // handle -> version
    long counter = 1;
    for (int step = 0; step < STEPS; step++) {
      int op = random.nextInt(10);
      if (op < 5 || reference.isEmpty()) {
        // Mostly the counter's next handle (an append); sometimes an older one (a late-logged reservation).
        long handle = op == 0 ? 1 + random.nextLong(counter) : counter++;
        if (!reference.containsKey(handle)) {
          long version = 1 + random.nextLong(1_000);
          fill(index.put(handle, version));
          reference.put(handle, version);
        }
      } else {
        long handle = 1 + random.nextLong(counter);
        assertEquals(reference.remove(handle) != null, index.remove(handle), "remove " + handle);
      }
      long probe = random.nextLong(counter + 2);
      ChunkInfo found = index.get(probe);
      assertEquals(reference.containsKey(probe), found != null, "get " + probe);
      if (found != null) {
        assertRow(found, reference.get(probe));
      }
      assertEquals(reference.size(), index.size());
    }
    List<Long> handles = new ArrayList<>();
    for (ChunkInfo chunk : index.values()) {
      handles.add(chunk.handle);
      assertRow(chunk, reference.get(chunk.handle));
    }
    assertEquals(List.copyOf(reference.keySet()), handles);
  }

  @Test
  void chunkIndexAcrossPagesWithHolesCompactionsAndInsertsInTheMiddle() {
    ChunkIndex index = new ChunkIndex();
    TreeMap<Long, Long> reference = new TreeMap<>();
    for (long handle = 2; handle <= 100_000; handle += 2) { // several pages of 16,384 rows
      fill(index.put(handle, handle + 1));
      reference.put(handle, handle + 1);
    }
    for (long handle = 2; handle <= 100_000; handle += 6) { // a third become holes
      assertTrue(index.remove(handle));
      reference.remove(handle);
    }
    for (long handle = 1; handle <= 99_999; handle += 1_000) { // late handles between the others: rows move
      fill(index.put(handle, handle + 1));
      reference.put(handle, handle + 1);
    }
    for (long handle = 100_002; handle <= 140_000; handle += 2) { // appends until the holes are compacted away
      fill(index.put(handle, handle + 1));
      reference.put(handle, handle + 1);
    }
    assertEquals(reference.size(), index.size());
    List<Long> handles = new ArrayList<>();
    for (ChunkInfo chunk : index.values()) {
      handles.add(chunk.handle);
      assertRow(chunk, reference.get(chunk.handle));
    }
    assertEquals(List.copyOf(reference.keySet()), handles);
    for (long probe = 0; probe <= 140_001; probe += 7) {
      assertEquals(reference.containsKey(probe), index.get(probe) != null, "get " + probe);
    }
  }

  /** Values derived from the handle in every column, so a row moved without one of its columns shows. */
  private static void fill(ChunkInfo chunk) {
    long h = chunk.handle;
    chunk.referenceCount((int) (h % 1_000));
    chunk.knownLengthBytes(h * 3);
    chunk.replicationTarget((int) (h % 32) + 1);
    chunk.trashed(h % 2 == 0);
    chunk.everHeld(h % 3 == 0);
    chunk.putReplica("cs" + h % 5, new ChunkInfo.Replica(h, false, h));
    chunk.clientWaitingAtMillis(h % 7 == 0 ? h : Long.MIN_VALUE);
    if (h % 11 == 0) {
      chunk.addCorruptOn("cs" + h);
    }
  }

  private static void assertRow(ChunkInfo chunk, long version) {
    long h = chunk.handle;
    assertEquals(version, chunk.version());
    assertEquals((int) (h % 1_000), chunk.referenceCount());
    assertEquals(h * 3, chunk.knownLengthBytes());
    assertEquals((int) (h % 32) + 1, chunk.replicationTarget());
    assertEquals(h % 2 == 0, chunk.trashed());
    assertEquals(h % 3 == 0, chunk.everHeld());
    assertFalse(chunk.grantInProgress());
    assertEquals(List.of("cs" + h % 5), List.of(chunk.replicaIds()));
    assertEquals(new ChunkInfo.Replica(h, false, h), chunk.replica("cs" + h % 5));
    assertEquals(h % 7 == 0 ? h : Long.MIN_VALUE, chunk.clientWaitingAtMillis());
    assertEquals(h % 11 == 0 ? List.of("cs" + h) : List.of(), chunk.corruptOn());
  }

  @Test
  void chunkIndexIterationFailsFastWhenEntriesMove() {
    ChunkIndex index = new ChunkIndex();
    index.put(5, 1);
    index.put(7, 1);
    Iterator<ChunkInfo> it = index.values().iterator();
    it.next();
    index.put(6, 1); // into the middle: entries move
    assertThrows(ConcurrentModificationException.class, it::hasNext);
  }

  @Test
  void aViewFollowsItsRowAndARemovedChunkKeepsItsLastValuesUntilTheRowIsReused() {
    ChunkIndex index = new ChunkIndex();
    index.put(5, 1);
    ChunkInfo seven = index.put(7, 4);
    seven.knownLengthBytes(70);
    index.put(6, 2); // seven's row moves up
    assertEquals(4, seven.version());
    seven.version(9);
    assertEquals(9, index.get(7).version());
    assertEquals(70, index.get(7).knownLengthBytes());
    assertTrue(index.remove(7));
    assertEquals(null, index.get(7));
    assertEquals(9, seven.version(), "a removed chunk still reads as it was");
    index.put(8, 1); // the trailing hole was reused: the view has nothing left to read
    assertThrows(IllegalStateException.class, seven::version);
  }

  @Test
  void chunkReplicasAndCorruptListBehaveLikeTreeMapAndTreeSet() {
    SplittableRandom random = new SplittableRandom(8);
    ChunkIndex index = new ChunkIndex();
    ReplicaArrays shared = index.shared();
    ChunkInfo chunk = index.put(1, 1);
    ChunkInfo other = index.put(2, 1);
    TreeMap<String, ChunkInfo.Replica> referenceMap = new TreeMap<>();
    TreeSet<String> referenceSet = new TreeSet<>();
    for (int step = 0; step < STEPS; step++) {
      String id = "cs" + random.nextInt(12);
      if (random.nextBoolean()) {
        // Mostly shared plain states, sometimes a chunk-own one (a recent grant, a corrupt copy).
        ChunkInfo.Replica replica = random.nextInt(4) == 0
            ? new ChunkInfo.Replica(step, random.nextBoolean(), step)
            : shared.plain(random.nextInt(3), ChunkInfo.Replica.NEVER_CONFIRMED);
        assertEquals(referenceMap.put(id, replica) == null, chunk.putReplica(id, replica));
        assertEquals(referenceSet.add(id), !chunk.isCorruptOn(id));
        chunk.addCorruptOn(id);
        other.putReplica(id, shared.plain(1, ChunkInfo.Replica.NEVER_CONFIRMED));
      } else {
        assertEquals(referenceMap.remove(id) != null, chunk.removeReplica(id));
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
    // Another chunk with the same plain replicas shares the same arrays; a change to one leaves the other alone.
    ChunkInfo twin = index.put(3, 1);
    for (String id : other.replicaIds()) {
      twin.putReplica(id, shared.plain(1, ChunkInfo.Replica.NEVER_CONFIRMED));
    }
    assertSame(other.replicaIds(), twin.replicaIds());
    String first = twin.replicaIds()[0];
    twin.removeReplica(first);
    assertEquals(12, other.replicaIds().length);
    assertFalse(List.of(twin.replicaIds()).contains(first));
  }

  @Test
  void plainStatesAndSetsAreSharedAndOthersAreNot() {
    ReplicaArrays shared = new ReplicaArrays();
    assertSame(shared.plain(3, ChunkInfo.Replica.NEVER_CONFIRMED), shared.plain(3, ChunkInfo.Replica.NEVER_CONFIRMED));
    assertSame(shared.plain(3, ChunkInfo.Replica.CONFIRMED_LONG_AGO),
        shared.plain(3, ChunkInfo.Replica.CONFIRMED_LONG_AGO));
    assertEquals(new ChunkInfo.Replica(1L << 40, false, ChunkInfo.Replica.NEVER_CONFIRMED),
        shared.plain(1L << 40, ChunkInfo.Replica.NEVER_CONFIRMED));
    ChunkInfo.Replica plain = shared.plain(2, ChunkInfo.Replica.NEVER_CONFIRMED);
    ReplicaSet first = shared.set(new String[] {"a", "b"}, new ChunkInfo.Replica[] {plain, plain});
    assertSame(first, shared.set(new String[] {"a", "b"}, new ChunkInfo.Replica[] {plain, plain}));
    ChunkInfo.Replica recent = new ChunkInfo.Replica(2, false, 12_345);
    ReplicaSet own = shared.set(new String[] {"a", "b"}, new ChunkInfo.Replica[] {plain, recent});
    assertNotSame(own, shared.set(new String[] {"a", "b"}, new ChunkInfo.Replica[] {plain, recent}));
    assertSame(first.ids(), own.ids());
  }
}
