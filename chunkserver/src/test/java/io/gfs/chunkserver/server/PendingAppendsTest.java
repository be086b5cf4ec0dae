package io.gfs.chunkserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.rpc.RpcErrors;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.RecordAppendRequest;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingAppendsTest {
  private static PendingAppends.Pending pending(long dataId) {
    RecordAppendRequest request = new RecordAppendRequest(1, 1, dataId, 3, List.of(), false, 1 << 20);
    return new PendingAppends.Pending(request, List.of(), ByteBuffer.wrap(new byte[3]));
  }

  @Test
  void theNextLockHolderTakesWaitingRequestsOldestFirstUpToTheMax() {
    PendingAppends appends = new PendingAppends();
    PendingAppends.Pending a = pending(1);
    PendingAppends.Pending b = pending(2);
    PendingAppends.Pending c = pending(3);
    appends.add(5, a);
    appends.add(5, b);
    appends.add(5, c);
    appends.add(6, pending(4));
    assertEquals(List.of(a, b), appends.take(5, 2, 0));
    assertEquals(List.of(c), appends.take(5, 64, 0));
    assertEquals(List.of(), appends.take(5, 64, 0));
    assertEquals(1, appends.chunks(), "only chunk 6 still has a request waiting");
    assertEquals(1, appends.take(6, 1, 0).size());
    assertEquals(0, appends.chunks(), "no queue outlives its requests");
  }

  private static PendingAppends.Pending inline(long dataId, int length) {
    RecordAppendRequest request = new RecordAppendRequest(1, 1, dataId, length, List.of(), false, 1 << 20);
    request.setData(new byte[length]);
    return new PendingAppends.Pending(request, List.of(), ByteBuffer.wrap(new byte[length]));
  }

  @Test
  void aGroupCarriesNoMoreInlineRecordBytesThanTheMaxButAlwaysOneRequest() {
    PendingAppends appends = new PendingAppends();
    PendingAppends.Pending big = inline(1, 900);
    PendingAppends.Pending pushed = pending(2); // pushed beforehand: nothing inline
    PendingAppends.Pending small = inline(3, 100);
    PendingAppends.Pending more = inline(4, 1);
    appends.add(5, big);
    appends.add(5, pushed);
    appends.add(5, small);
    appends.add(5, more);
    assertEquals(List.of(big, pushed, small), appends.take(5, 64, 1000));
    assertEquals(List.of(more), appends.take(5, 64, 0), "one request always goes, whatever its size");
    appends.add(5, inline(6, 2000));
    assertEquals(1, appends.take(5, 64, 1000).size());
  }

  @Test
  void aStuckLocksWaitersAreAllTakenAtOnceToBeFailed() {
    PendingAppends appends = new PendingAppends();
    PendingAppends.Pending a = pending(1);
    PendingAppends.Pending b = pending(2);
    appends.add(5, a);
    appends.add(5, b);
    appends.add(6, pending(3));
    assertEquals(List.of(a, b), appends.takeAll(5));
    assertEquals(List.of(), appends.takeAll(5));
    assertEquals(1, appends.chunks(), "chunk 6's request still waits");
  }

  @Test
  void theFirstRequestLeadsAndAHandOverGivesTheTurnToTheOldestWaiterOrToNoOne() {
    PendingAppends appends = new PendingAppends();
    PendingAppends.Pending a = pending(1);
    PendingAppends.Pending b = pending(2);
    PendingAppends.Pending c = pending(3);
    assertTrue(appends.add(5, a), "no one leads chunk 5: a's thread does");
    assertFalse(appends.add(5, b));
    assertFalse(appends.add(5, c));
    assertTrue(appends.add(6, pending(4)), "each chunk has its own leader");
    assertEquals(List.of(a), appends.take(5, 1, 0));
    a.succeeded(0);
    appends.handOver(5);
    assertTrue(appends.isLed(5));
    assertTrue(b.awaitTurnOrOutcome(), "b was the oldest waiting: its thread leads next");
    assertEquals(List.of(b, c), appends.take(5, 64, 0));
    b.succeeded(3);
    c.succeeded(6);
    assertFalse(c.awaitTurnOrOutcome(), "decided in b's group: c's thread replies without leading");
    appends.handOver(5);
    assertFalse(appends.isLed(5), "no one waits: no one leads");
    assertTrue(appends.add(5, pending(5)));
  }

  @Test
  void aWaiterReturnsAsSoonAsTheLeadersGroupDecidesItsRequest() throws Exception {
    PendingAppends appends = new PendingAppends();
    PendingAppends.Pending a = pending(1);
    PendingAppends.Pending b = pending(2);
    appends.add(5, a);
    appends.add(5, b);
    java.util.concurrent.CompletableFuture<Boolean> waiter =
        java.util.concurrent.CompletableFuture.supplyAsync(b::awaitTurnOrOutcome);
    assertEquals(List.of(a, b), appends.take(5, 64, 0));
    a.succeeded(0);
    b.failed(RpcErrors.error(ErrorCode.IO_ERROR, "disk"));
    assertFalse(waiter.get(60, java.util.concurrent.TimeUnit.SECONDS), "decided: no turn needed");
    assertThrows(GfsException.class, b::await);
    appends.handOver(5);
    assertEquals(0, appends.chunks());
    assertFalse(appends.isLed(5));
  }

  @Test
  void anOutcomeIsDecidedOnceAndReachesTheWaiter() throws Exception {
    PendingAppends.Pending ok = pending(1);
    ok.succeeded(4096);
    ok.failed(RpcErrors.error(ErrorCode.IO_ERROR, "too late")); // a group failing after the fact changes nothing
    assertEquals(4096, ok.await());
    assertThrows(IllegalStateException.class, () -> ok.succeeded(1));
    PendingAppends.Pending full = pending(2);
    GfsException chunkFull = RpcErrors.error(ErrorCode.CHUNK_FULL, "padded");
    full.failed(chunkFull);
    assertTrue(full.isDone());
    assertSame(chunkFull, assertThrows(GfsException.class, full::await));
  }
}
