package io.gfs.common.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SampleRingTest {
  @Test
  void keepsTheLatestSamplesOldestFirst() {
    SampleRing ring = new SampleRing(3, 1);
    for (int i = 0; i < 5; i++) {
      ring.add(i * 1000L, new double[] {i});
    }
    assertEquals(3, ring.size());
    assertArrayEquals(new long[] {2000, 3000, 4000}, ring.snapshot().times());
    assertArrayEquals(new double[] {2, 3, 4}, ring.snapshot().column(0));
  }

  @Test
  void runningTotalsBecomePerSecondRates() {
    SampleRing ring = new SampleRing(10, 1);
    ring.add(0, new double[] {0});
    ring.add(2000, new double[] {100});
    ring.add(3000, new double[] {50}); // a restart: the total went down
    double[] rates = ring.snapshot().rates(0);
    assertTrue(Double.isNaN(rates[0]));
    assertEquals(50.0, rates[1]);
    assertTrue(Double.isNaN(rates[2]));
  }

  @Test
  void refusesSamplesOfTheWrongWidthOrFromThePast() {
    SampleRing ring = new SampleRing(2, 2);
    assertThrows(IllegalArgumentException.class, () -> ring.add(0, new double[] {1}));
    ring.add(10, new double[] {1, 2});
    assertThrows(IllegalArgumentException.class, () -> ring.add(5, new double[] {1, 2}));
  }
}
