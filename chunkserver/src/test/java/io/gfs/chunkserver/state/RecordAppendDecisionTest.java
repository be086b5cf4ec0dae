package io.gfs.chunkserver.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gfs.chunkserver.state.RecordAppendDecision.Kind;
import org.junit.jupiter.api.Test;

class RecordAppendDecisionTest {
  private static final long CHUNK = 64L << 20;

  @Test
  void aRecordThatFitsGoesAtTheChunkEnd() {
    assertEquals(new RecordAppendDecision(Kind.FITS, 0), RecordAppendDecision.decide(0, 100, CHUNK));
    assertEquals(new RecordAppendDecision(Kind.FITS, 1000), RecordAppendDecision.decide(1000, 100, CHUNK));
    // Exactly filling the chunk still fits.
    assertEquals(new RecordAppendDecision(Kind.FITS, CHUNK - 100), RecordAppendDecision.decide(CHUNK - 100, 100,
        CHUNK));
  }

  @Test
  void aRecordThatDoesNotFitPadsToTheChunkSize() {
    assertEquals(new RecordAppendDecision(Kind.PAD, CHUNK), RecordAppendDecision.decide(CHUNK - 99, 100, CHUNK));
    assertEquals(new RecordAppendDecision(Kind.PAD, CHUNK), RecordAppendDecision.decide(CHUNK, 1, CHUNK));
  }

  @Test
  void aRecordOverAQuarterChunkIsTooLargeWhereverTheChunkEnds() {
    assertEquals(Kind.FITS, RecordAppendDecision.decide(0, CHUNK / 4, CHUNK).kind());
    assertEquals(Kind.TOO_LARGE, RecordAppendDecision.decide(0, CHUNK / 4 + 1, CHUNK).kind());
    assertEquals(Kind.TOO_LARGE, RecordAppendDecision.decide(CHUNK, CHUNK / 4 + 1, CHUNK).kind());
  }
}
