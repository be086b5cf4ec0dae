package io.gfs.chunkserver.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gfs.chunkserver.state.RecordAppendDecision.Kind;
import io.gfs.chunkserver.state.RecordAppendGroup.Planned;
import io.gfs.chunkserver.state.RecordAppendGroup.Request;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordAppendGroupTest {
  private static final long CHUNK = 1L << 20;

  private static List<Request> records(int... lengths) {
    List<Request> out = new ArrayList<>();
    for (int length : lengths) {
      out.add(new Request(length, CHUNK));
    }
    return out;
  }

  @Test
  void recordsThatFitFollowEachOtherInArrivalOrder() {
    RecordAppendGroup group = RecordAppendGroup.place(1000, records(100, 200, 300));
    assertEquals(List.of(new Planned(Kind.FITS, 1000, 0, 100), new Planned(Kind.FITS, 1100, 1, 200),
        new Planned(Kind.FITS, 1300, 2, 300)), group.mutations());
    assertEquals(List.of(0, 1, 2), group.mutationOfRequest());
    assertEquals(1600, group.chunkLengthBytes());
  }

  @Test
  void aGroupOfOneIsPlacedAsTheSingleDecisionWouldPlaceIt() {
    for (long length : new long[] {0, 5000, CHUNK - 100, CHUNK - 99, CHUNK}) {
      RecordAppendDecision alone = RecordAppendDecision.decide(length, 100, CHUNK);
      Planned planned = RecordAppendGroup.place(length, records(100)).mutations().get(0);
      assertEquals(alone.kind(), planned.kind(), "at length " + length);
      assertEquals(alone.offsetBytes(), planned.offsetBytes(), "at length " + length);
    }
  }

  @Test
  void theFirstRecordThatDoesNotFitPadsOnceAndTheRestShareThatPadding() {
    // 200 bytes left: the first record fits exactly, the second does not, the third would fit no better.
    RecordAppendGroup group = RecordAppendGroup.place(CHUNK - 300, records(100, 250, 50, 400));
    assertEquals(List.of(new Planned(Kind.FITS, CHUNK - 300, 0, 100), new Planned(Kind.PAD, CHUNK, 1, 0)),
        group.mutations());
    // The 50-byte record would have fitted into the padding's room, but the chunk is padded once it overflows:
    // records keep arrival order, and every later one goes to the next chunk (CHUNK_FULL).
    assertEquals(List.of(0, 1, 1, 1), group.mutationOfRequest());
    assertEquals(CHUNK, group.chunkLengthBytes());
  }

  @Test
  void aRecordExactlyFillingTheChunkFitsAndTheNextOnePads() {
    RecordAppendGroup group = RecordAppendGroup.place(CHUNK - 300, records(100, 200, 1));
    assertEquals(List.of(new Planned(Kind.FITS, CHUNK - 300, 0, 100), new Planned(Kind.FITS, CHUNK - 200, 1, 200),
        new Planned(Kind.PAD, CHUNK, 2, 0)), group.mutations());
    assertEquals(List.of(0, 1, 2), group.mutationOfRequest());
  }

  @Test
  void aFullChunkIsPaddedAgainSoEverySecondaryEndsPadded() {
    // A padding a secondary missed earlier is sent again: the group's one PAD mutation carries it to all.
    RecordAppendGroup group = RecordAppendGroup.place(CHUNK, records(10, 20));
    assertEquals(List.of(new Planned(Kind.PAD, CHUNK, 0, 0)), group.mutations());
    assertEquals(List.of(0, 0), group.mutationOfRequest());
  }

  @Test
  void everyRequestMapsToAMutationAndOffsetsNeverOverlap() {
    List<Request> requests = new ArrayList<>();
    for (int i = 0; i < RecordAppendGroup.MUTATIONS_MAX; i++) {
      requests.add(new Request(1 + (i * 7919) % 60_000, CHUNK));
    }
    Collections.shuffle(requests, new java.util.Random(6));
    RecordAppendGroup group = RecordAppendGroup.place(CHUNK / 2, requests);
    long end = CHUNK / 2;
    boolean padded = false;
    for (int i = 0; i < requests.size(); i++) {
      Planned planned = group.mutations().get(group.mutationOfRequest().get(i));
      if (planned.kind() == Kind.FITS) {
        assertEquals(i, planned.requestIndex(), "a record's own mutation carries it");
        assertEquals(end, planned.offsetBytes(), "records follow each other without a gap");
        assertEquals(false, padded, "no record after the padding");
        end += requests.get(i).recordLengthBytes();
      } else {
        padded = true;
        assertEquals(CHUNK, planned.offsetBytes());
      }
    }
    assertEquals(padded ? CHUNK : end, group.chunkLengthBytes());
  }

  @Test
  void emptyOversizedAndTooLargeGroupsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> RecordAppendGroup.place(0, List.of()));
    List<Request> tooMany = new ArrayList<>();
    for (int i = 0; i <= RecordAppendGroup.MUTATIONS_MAX; i++) {
      tooMany.add(new Request(1, CHUNK));
    }
    assertThrows(IllegalArgumentException.class, () -> RecordAppendGroup.place(0, tooMany));
    assertThrows(IllegalArgumentException.class, () -> RecordAppendGroup.place(0, records(10, (int) (CHUNK / 4) + 1)));
    assertThrows(IllegalArgumentException.class, () -> RecordAppendGroup.place(-1, records(10)));
  }

  @Test
  void serialNumbersOfAGroupApplyInOrderOnAReplicaAndARetriedGroupIsAlreadyApplied() throws Exception {
    // Driven step by step as a secondary applies a group: consecutive serials after the last one applied.
    ChunkServerState state = new ChunkServerState();
    state.versionAssigned(7, 3, 0, 0);
    state.applied(7, 3, 1, 0);
    RecordAppendGroup group = RecordAppendGroup.place(0, records(10, 20, 30));
    long first = 2;
    for (int k = 0; k < group.mutations().size(); k++) {
      assertEquals(SerialCheck.APPLY, state.checkSecondary(7, 3, first + k));
      state.applied(7, 3, first + k, 0);
    }
    for (int k = 0; k < group.mutations().size(); k++) {
      assertEquals(SerialCheck.ALREADY_APPLIED, state.checkSecondary(7, 3, first + k), "a retried group");
    }
    assertEquals(first + group.mutations().size(), state.nextSerial(7));
  }
}
