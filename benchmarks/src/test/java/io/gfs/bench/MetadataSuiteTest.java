package io.gfs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetadataSuiteTest {
  private static final List<String> GFS_FIRST = List.of(Measurement.GFS, Measurement.HDFS);
  private static final List<String> HDFS_FIRST = List.of(Measurement.HDFS, Measurement.GFS);

  @Test
  void theFirstSystemAlternatesFromCellToCell() {
    assertEquals(GFS_FIRST, MetadataSuite.systemsInOrder(0));
    assertEquals(HDFS_FIRST, MetadataSuite.systemsInOrder(1));
    assertEquals(GFS_FIRST, MetadataSuite.systemsInOrder(2));
  }

  @Test
  void withFiveKindsARoundAKindsFirstSystemFlipsFromRoundToRound() {
    int kinds = 5;
    for (int kind = 0; kind < kinds; kind++) {
      List<String> round1 = MetadataSuite.systemsInOrder(kind);
      List<String> round2 = MetadataSuite.systemsInOrder(kinds + kind);
      assertEquals(round1.get(1), round2.get(0), "kind " + kind);
    }
  }
}
