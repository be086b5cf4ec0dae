package io.gfs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class MedianTest {
  @Test
  void oddCountTakesTheMiddleOfTheSortedValues() {
    assertEquals(3232.0, Median.of(List.of(5665.0, 3232.0, 1000.0)));
    assertEquals(7.0, Median.of(List.of(7.0)));
  }

  @Test
  void evenCountTakesTheMeanOfTheTwoMiddleValues() {
    assertEquals(2.5, Median.of(List.of(4.0, 1.0, 3.0, 2.0)));
  }

  @Test
  void oneOutlierDoesNotMoveIt() {
    assertEquals(1000.0, Median.of(List.of(1000.0, 10.0, 1010.0)));
  }

  @Test
  void noValuesIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> Median.of(List.of()));
  }
}
