package io.gfs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoundsTest {
  private static final List<String> GFS_FIRST = List.of(Measurement.GFS, Measurement.HDFS);
  private static final List<String> HDFS_FIRST = List.of(Measurement.HDFS, Measurement.GFS);

  @Test
  void aCellsFirstSystemFlipsFromRoundToRoundWhateverTheCellsARoundHas() {
    // seq has 2 cells a round (1 and 4 clients), append 3 (1, 4 and 16 writers): with one count over the whole
    // suite, as the meta suite's five kinds allow, an even number of cells would keep a cell's first system fixed.
    for (int cells : List.of(1, 2, 3)) {
      for (int cell = 0; cell < cells; cell++) {
        assertEquals(Rounds.systemsInOrder(0, cell).get(1), Rounds.systemsInOrder(1, cell).get(0), "cell " + cell);
        assertEquals(Rounds.systemsInOrder(0, cell), Rounds.systemsInOrder(2, cell), "cell " + cell);
      }
    }
  }

  @Test
  void theSequentialSuitesTwoCellsAlternateWithinARoundToo() {
    assertEquals(List.of(GFS_FIRST, HDFS_FIRST), List.of(Rounds.systemsInOrder(0, 0), Rounds.systemsInOrder(0, 1)));
    assertEquals(List.of(HDFS_FIRST, GFS_FIRST), List.of(Rounds.systemsInOrder(1, 0), Rounds.systemsInOrder(1, 1)));
    assertEquals(List.of(GFS_FIRST, HDFS_FIRST), List.of(Rounds.systemsInOrder(2, 0), Rounds.systemsInOrder(2, 1)));
  }

  @Test
  void aFigureIsTheMedianOfItsRoundsAndTheMethodListsEachRoundAndWhoWentFirst() {
    Rounds rounds = new Rounds();
    // HDFS's write x1 as two quiet runs measured it (97 and 146 MiB/s) and a third between them.
    double[] hdfs = {97.04, 146.31, 120.0};
    for (int round = 1; round <= 3; round++) {
      List<String> order = Rounds.systemsInOrder(round - 1, 0);
      rounds.add(Measurement.GFS, "write x1", round, 168.0 + round, order.get(0).equals(Measurement.GFS));
      rounds.add(Measurement.HDFS, "write x1", round, hdfs[round - 1], order.get(0).equals(Measurement.HDFS));
    }
    assertEquals(120.0, rounds.median(Measurement.HDFS, "write x1"));
    assertEquals(170.0, rounds.median(Measurement.GFS, "write x1"));
    assertEquals(List.of(97.04, 146.31, 120.0), rounds.values(Measurement.HDFS, "write x1"));
    String hdfsMethod = rounds.describe(Measurement.HDFS, "write x1", "MiB/s", "%.1f");
    assertTrue(hdfsMethod.startsWith("median of 3 rounds (MiB/s 97.0, 146.3, 120.0)"), hdfsMethod);
    assertTrue(hdfsMethod.endsWith("this one first in round(s) 2"), hdfsMethod);
    assertTrue(rounds.describe(Measurement.GFS, "write x1", "MiB/s", "%.1f").endsWith("first in round(s) 1, 3"));
  }

  @Test
  void aRoundRecordedTwiceOrOutOfOrderIsAnError() {
    Rounds rounds = new Rounds();
    rounds.add(Measurement.GFS, "read x4", 1, 1.0, true);
    assertThrows(IllegalArgumentException.class, () -> rounds.add(Measurement.GFS, "read x4", 1, 2.0, true));
    assertThrows(IllegalArgumentException.class, () -> rounds.add(Measurement.GFS, "read x4", 3, 2.0, true));
    assertThrows(IllegalArgumentException.class, () -> rounds.median(Measurement.HDFS, "read x4"));
  }
}
