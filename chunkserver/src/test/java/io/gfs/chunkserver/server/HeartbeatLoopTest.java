package io.gfs.chunkserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.chunkserver.state.ChunkServerState;
import io.gfs.chunkserver.store.InMemoryChunkStore;
import io.gfs.chunkserver.store.NoSuchChunkException;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.thrift.gen.ChunkReport;
import io.gfs.thrift.gen.HeartbeatReply;
import io.gfs.thrift.gen.HeartbeatRequest;
import io.gfs.thrift.gen.LeaseExtension;
import io.gfs.thrift.gen.ServerAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a heartbeat carries and what the chunkserver does with the reply, without a network. */
class HeartbeatLoopTest {
  private final AtomicLong now = new AtomicLong(1000);
  private final ChunkServerState state = new ChunkServerState();
  private final InMemoryChunkStore store = new InMemoryChunkStore();
  private final RpcClients rpc = new RpcClients(RpcLimits.defaults());
  private HeartbeatLoop loop;

  @BeforeEach
  void setUp() throws Exception {
    store.load();
    store.setCapacityBytes(1 << 30);
    ChunkOperations operations = new ChunkOperations(state, store, new ChunkLocks(1000), now::get);
    loop = new HeartbeatLoop("cs-test", new HostPort("127.0.0.1", 7711), "/r1", 0, state, store, operations, rpc,
        MasterLocator.fixed(new HostPort("127.0.0.1", 1)), now::get);
    operations.assignVersion(1, 3, true, 60_000); // primary
    operations.assignVersion(2, 1, true, 0);
    operations.assignVersion(3, 1, true, 0);
    byte[] data = new byte[100_000];
    store.write(1, 0, data, 0, data.length, false);
    state.markMutated(1);
    state.markCorrupt(3);
  }

  @AfterEach
  void tearDown() {
    rpc.close();
  }

  @Test
  void theRequestCarriesTheFullReportCapacityExtensionsAndCorruptReplicas() throws Exception {
    HeartbeatRequest request = loop.request(state.leaseExtensionRequests());
    assertEquals("cs-test", request.getServerId());
    assertEquals(new ServerAddress("127.0.0.1", 7711), request.getAddress());
    assertEquals("/r1", request.getRack());
    assertEquals(List.of(new ChunkReport(1, 3, 100_000), new ChunkReport(2, 1, 0)), request.getChunks());
    assertEquals(List.of(1L), request.getLeaseExtensionRequests());
    assertEquals(List.of(3L), request.getCorruptChunks());
    assertEquals(store.usedBytes(), request.getUsedBytes());
    assertEquals(1 << 30, request.getCapacityBytes());
  }

  @Test
  void theReplyDeletesChunksExtendsLeasesAndSetsTheInterval() throws Exception {
    long expiryBefore = state.leaseExpiryMillis(1).getAsLong();
    now.addAndGet(30_000);
    HeartbeatReply reply = new HeartbeatReply(List.of(2L, 3L, 99L),
        List.of(new LeaseExtension(1, 3, 60_000), new LeaseExtension(2, 1, 60_000)), 250);
    loop.apply(reply);
    assertFalse(state.contains(2));
    assertFalse(state.contains(3));
    assertThrows(NoSuchChunkException.class, () -> store.lengthBytes(2));
    assertEquals(31_000 + 54_000, state.leaseExpiryMillis(1).getAsLong());
    assertEquals(true, state.leaseExpiryMillis(1).getAsLong() > expiryBefore);
    assertFalse(state.leaseExpiryMillis(2).isPresent(), "no lease is made up for a chunk this server does not lead");
    assertEquals(250, loop.intervalMillis());
    loop.apply(new HeartbeatReply(List.of(), List.of(), 1));
    assertEquals(HeartbeatLoop.INTERVAL_MILLIS_MIN, loop.intervalMillis());
  }

  @Test
  void aReplyFromADeposedMasterIsIgnored() throws Exception {
    EpochFence fence = EpochFence.inMemory();
    ChunkOperations operations = new ChunkOperations(state, store, new ChunkLocks(1000), now::get);
    HeartbeatLoop fenced = new HeartbeatLoop("cs-test", new HostPort("127.0.0.1", 7711), "/r1", 0, state, store,
        operations, rpc, MasterLocator.fixed(new HostPort("127.0.0.1", 1)), now::get, fence);
    HeartbeatReply current = new HeartbeatReply(List.of(), List.of(), 250);
    current.setEpoch(5);
    fenced.apply(current);
    assertEquals(5, fence.highestEpoch());
    HeartbeatReply stale = new HeartbeatReply(List.of(2L), List.of(new LeaseExtension(1, 3, 60_000)), 250);
    stale.setEpoch(4);
    long expiryBefore = state.leaseExpiryMillis(1).getAsLong();
    now.addAndGet(30_000);
    fenced.apply(stale);
    assertTrue(state.contains(2), "a deposed master's delete is not carried out");
    assertEquals(expiryBefore, state.leaseExpiryMillis(1).getAsLong(), "nor its lease extension");
  }
}
