package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChunkReferencesTest {
  @Test
  void countsMatchAMapThroughGrowth() {
    ChunkReferences references = new ChunkReferences();
    Map<Long, Integer> model = new HashMap<>();
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 20_000; i++) {
      long handle = i % 3 == 0 ? random.nextLong(0, 5_000) : random.nextLong(0, Long.MAX_VALUE);
      references.add(handle, 1 + i % 5, false, false);
      model.merge(handle, 1, Integer::sum);
    }
    assertEquals(model.size(), references.size());
    model.forEach((handle, count) -> assertEquals(count, references.count(references.find(handle)), "handle " + handle));
    assertEquals(-1, references.find(Long.MAX_VALUE));
    assertEquals(-1, references.find(-1));
    assertThrows(IllegalArgumentException.class, () -> references.add(-5, 3, false, false));
  }

  @Test
  void aSizingHintIsCappedAndCountsStayRight() {
    ChunkReferences references = new ChunkReferences();
    references.expect(Integer.MAX_VALUE); // a corrupt count must not allocate gigabytes
    for (long handle = 1; handle <= 3_000; handle++) {
      references.add(handle, 3, false, false);
      references.add(handle, 3, true, true);
    }
    references.expect(1 << 20); // too late to resize: ignored, nothing lost
    assertEquals(3_000, references.size());
    assertEquals(2, references.count(references.find(1_234)));
    assertFalse(references.trashed(references.find(1_234)), "the live file decides");
  }

  @Test
  void aLiveFileDecidesTargetAndMarkOverASnapshotInAnyOrder() {
    ChunkReferences references = new ChunkReferences();
    references.add(10, 2, true, true); // a snapshot's copy first
    references.add(10, 3, false, false); // the live file
    references.add(10, 1, true, true); // another snapshot after it
    references.add(11, 3, false, false);
    references.add(11, 2, false, true); // a later live (deleted) file wins over an earlier one, as the tree walk did
    int shared = references.find(10);
    assertEquals(3, references.count(shared));
    assertEquals(3, references.target(shared));
    assertFalse(references.trashed(shared));
    int deleted = references.find(11);
    assertEquals(2, references.target(deleted));
    assertTrue(references.trashed(deleted));
  }
}
