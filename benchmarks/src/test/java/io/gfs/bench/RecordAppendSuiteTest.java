package io.gfs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecordAppendSuiteTest {
  @Test
  void theGoalsFigureIsTheMedianOfEachRoundsRatioNotTheRatioOfTheMedians() {
    // One run at load 14-18: the third round was slow for both, the appenders and the writer right after them.
    List<Double> appenders = List.of(49.3, 59.0, 33.2);
    List<Double> single = List.of(112.4, 110.9, 40.8);
    List<Double> ratios = RecordAppendSuite.sameRoundRatios(appenders, single);
    assertEquals(3, ratios.size());
    assertEquals(59.0 / 110.9, ratios.get(1), 1e-12);
    assertEquals(59.0 / 110.9, Median.of(ratios), 1e-12);
    assertEquals(0.445, Median.of(appenders) / Median.of(single), 1e-3, "what the medians' ratio would have said");
  }

  @Test
  void roundsMustPair() {
    assertThrows(IllegalArgumentException.class,
        () -> RecordAppendSuite.sameRoundRatios(List.of(1.0, 2.0), List.of(1.0)));
  }
}
