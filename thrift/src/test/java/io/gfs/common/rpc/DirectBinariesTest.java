package io.gfs.common.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The direct buffers lent to calls: only inside a server-run call, one per call, the last one returned lent first. */
class DirectBinariesTest {
  @AfterEach
  void endCall() {
    DirectBinaries.acceptOnThisThread(false);
    DirectBinaries.takeBackLent();
  }

  @Test
  void aBufferIsLentOnlyToACallTheServerRuns() {
    assertThrows(IllegalStateException.class, DirectBinaries::lend);
  }

  @Test
  void aCallBorrowsOneBufferAndTheNextCallGetsTheOneReturnedLast() {
    DirectBinaries.acceptOnThisThread(true);
    ByteBuffer first = DirectBinaries.lend();
    assertTrue(first.isDirect());
    assertEquals(DirectBinaries.LENT_BYTES, first.remaining());
    assertThrows(IllegalStateException.class, DirectBinaries::lend, "a second buffer in the same call");
    first.put(new byte[1000]).flip();
    DirectBinaries.takeBackLent();
    DirectBinaries.takeBackLent(); // the end of a call that borrowed nothing more: no buffer twice in the pool
    ByteBuffer second = DirectBinaries.lend();
    assertSame(first, second);
    assertEquals(0, second.position(), "lent cleared");
    assertEquals(DirectBinaries.LENT_BYTES, second.limit(), "lent cleared");
    DirectBinaries.takeBackLent();
    assertSame(second, DirectBinaries.lend());
  }
}
