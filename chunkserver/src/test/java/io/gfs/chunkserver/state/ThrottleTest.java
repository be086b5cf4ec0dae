package io.gfs.chunkserver.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ThrottleTest {
  private static final long MIB = 1 << 20;

  @Test
  void eachPieceWaitsForTheTimeOfTheOnesBookedBeforeIt() {
    Throttle throttle = new Throttle(4 * MIB); // a MiB takes 250 ms
    long now = 10_000;
    assertEquals(0, throttle.acquire(MIB, now), "nothing booked yet: go at once");
    assertEquals(250, throttle.acquire(MIB, now));
    assertEquals(500, throttle.acquire(MIB, now));
    // A caller that waited as told is told to wait one piece's time each.
    now += 500;
    assertEquals(250, throttle.acquire(MIB, now));
  }

  @Test
  void idleTimeIsNotSavedUpForABurst() {
    Throttle throttle = new Throttle(MIB);
    assertEquals(0, throttle.acquire(MIB, 0));
    assertEquals(0, throttle.acquire(MIB, 60_000), "after a long pause the next piece goes at once");
    assertEquals(1000, throttle.acquire(MIB, 60_000), "but the one after it waits its full time");
  }

  @Test
  void theAverageRateStaysUnderTheLimit() {
    long rate = 3 * MIB + 12_345;
    Throttle throttle = new Throttle(rate);
    long now = 0;
    long moved = 0;
    for (int i = 0; i < 100; i++) {
      now += throttle.acquire(MIB, now);
      moved += MIB;
    }
    // Moving the last piece starts at `now`; the bytes before it needed at least (moved - MIB) / rate seconds.
    assertEquals((moved - MIB) * 1000 / rate, now, 1.0);
  }

  @Test
  void badArgumentsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Throttle(0));
    assertThrows(IllegalArgumentException.class, () -> new Throttle(1).acquire(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> new Throttle(1).acquire(Throttle.REQUEST_BYTES_MAX + 1, 0));
  }
}
