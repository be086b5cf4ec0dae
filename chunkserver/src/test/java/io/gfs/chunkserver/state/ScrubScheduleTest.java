package io.gfs.chunkserver.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScrubScheduleTest {
  private static final long IDLE = 60_000;
  private static final long PERIOD = 3_600_000;
  private final ScrubSchedule schedule = new ScrubSchedule(IDLE, PERIOD);

  private static ScrubCandidate chunk(long handle, long lastMutationMillis) {
    return new ScrubCandidate(handle, lastMutationMillis);
  }

  @Test
  void onlyIdleChunksAreVerifiedAndTheWaitEndsWhenOneBecomesIdle() {
    List<ScrubCandidate> chunks = List.of(chunk(1, 100_000), chunk(2, 130_000));
    assertEquals(ScrubSchedule.Step.waitFor(20_000), schedule.next(chunks, 140_000));
    assertEquals(ScrubSchedule.Step.scrub(1), schedule.next(chunks, 160_000));
    schedule.verified(1, 160_000);
    assertEquals(ScrubSchedule.Step.waitFor(30_000), schedule.next(chunks, 160_000));
    assertEquals(ScrubSchedule.Step.scrub(2), schedule.next(chunks, 190_000));
  }

  @Test
  void chunksUntouchedSinceTheStartAreIdleAtOnce() {
    List<ScrubCandidate> chunks = List.of(chunk(7, Long.MIN_VALUE), chunk(3, Long.MIN_VALUE));
    assertEquals(ScrubSchedule.Step.scrub(3), schedule.next(chunks, 0), "ties go by handle");
  }

  @Test
  void eachChunkIsVerifiedOncePerPeriodOldestFirst() {
    List<ScrubCandidate> chunks = List.of(chunk(1, 0), chunk(2, 0), chunk(3, 0));
    long now = IDLE;
    for (long expected : new long[] {1, 2, 3}) {
      ScrubSchedule.Step step = schedule.next(chunks, now);
      assertEquals(ScrubSchedule.Step.scrub(expected), step);
      schedule.verified(step.handle(), now);
      now += 1000;
    }
    // All verified in this pass: wait for chunk 1's period to end, then the pass starts again in the same order.
    assertEquals(ScrubSchedule.Step.waitFor(IDLE + PERIOD - now), schedule.next(chunks, now));
    assertEquals(ScrubSchedule.Step.scrub(1), schedule.next(chunks, IDLE + PERIOD));
    // A chunk never verified (new since the pass) goes before those verified long ago.
    List<ScrubCandidate> more = List.of(chunk(1, 0), chunk(2, 0), chunk(3, 0), chunk(9, 0));
    assertEquals(ScrubSchedule.Step.scrub(9), schedule.next(more, IDLE + PERIOD + 5000));
  }

  @Test
  void aMutationMakesAChunkWaitForIdlenessAgainButNotForANewPeriod() {
    schedule.verified(1, 0);
    assertEquals(ScrubSchedule.Step.waitFor(PERIOD - 10), schedule.next(List.of(chunk(1, 0)), 10));
    // Written to just before its period ended: verified once it has been idle for IDLE.
    long written = PERIOD - 100;
    assertEquals(ScrubSchedule.Step.waitFor(written + IDLE - PERIOD), schedule.next(List.of(chunk(1, written)),
        PERIOD));
    assertEquals(ScrubSchedule.Step.scrub(1), schedule.next(List.of(chunk(1, written)), written + IDLE));
  }

  @Test
  void deletedChunksAreForgottenAndNoChunksMeansWaitAPeriod() {
    schedule.verified(5, 0);
    assertEquals(ScrubSchedule.Step.waitFor(PERIOD), schedule.next(List.of(), 0));
    assertNull(schedule.lastVerifiedMillis(5));
    assertThrows(IllegalArgumentException.class, () -> new ScrubSchedule(-1, PERIOD));
    assertThrows(IllegalArgumentException.class, () -> new ScrubSchedule(0, 0));
  }

  @Test
  void theStateOffersEveryReplicaNotKnownCorruptWithItsLastMutation() {
    ChunkServerState state = new ChunkServerState();
    state.loaded(1, 1);
    state.versionAssigned(2, 1, 0, 5000);
    state.versionAssigned(3, 1, 0, 5000);
    state.applied(3, 1, 1, 7000);
    state.versionAssigned(4, 1, 0, 5000);
    state.markCorrupt(4);
    assertEquals(List.of(chunk(1, Long.MIN_VALUE), chunk(2, 5000), chunk(3, 7000)), state.scrubCandidates());
  }
}
