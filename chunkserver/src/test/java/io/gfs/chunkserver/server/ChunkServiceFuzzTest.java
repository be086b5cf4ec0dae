package io.gfs.chunkserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gfs.chunkserver.state.ChunkServerState;
import io.gfs.chunkserver.state.PushBuffer;
import io.gfs.chunkserver.state.ReplicaView;
import io.gfs.chunkserver.store.InMemoryChunkStore;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.FuzzedCalls;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.thrift.gen.ChunkServerService;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.thrift.TException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of every method of the chunkserver's Thrift service through the real processor, handler,
 * state and (in-memory) store. Properties after every input: only typed answers (GfsException other than INTERNAL, a
 * protocol error, a closed connection), the state's and push buffer's invariants hold, and a rejected request changed
 * no replica (versions, lengths, CRCs). Forwarding, fan-out and clone calls go through closed RPC clients, so fuzzed
 * addresses are never dialled. Saved inputs (src/test/resources/io/gfs/chunkserver/server/ChunkServiceFuzzTestInputs)
 * run in every build; docs/reliability.md ("Fuzzing") says how to fuzz.
 */
class ChunkServiceFuzzTest {
  private static final FuzzedCalls.Dictionary STRINGS =
      new FuzzedCalls.Dictionary(List.of("127.0.0.1", "cs-1", ""));
  private static final RpcLimits LIMITS = RpcLimits.defaults().withCallTimeoutMillis(1000);
  private static final AtomicLong CLOCK = new AtomicLong(1_000_000);

  private static ChunkServerState state;
  private static PushBuffer pushBuffer;
  private static InMemoryChunkStore store;
  private static ExecutorService threads;
  private static ChunkServerService.Processor<ChunkServiceHandler> processor;

  @BeforeAll
  static void start() throws Exception {
    state = new ChunkServerState();
    store = new InMemoryChunkStore();
    store.load();
    pushBuffer = new PushBuffer(64L << 20, 60_000);
    RpcClients offline = new RpcClients(LIMITS);
    offline.close(); // forwards, fan-outs and clones fail at once: no fuzzed address is ever dialled
    threads = Executors.newFixedThreadPool(4);
    HostPort self = new HostPort("127.0.0.1", 1);
    ChunkLocks locks = new ChunkLocks(1000);
    DataPipeline pipeline = new DataPipeline(pushBuffer, offline, threads, CLOCK::get, 1000);
    Mutations mutations = new Mutations(state, store, pushBuffer, locks, new SecondaryFanout(offline, threads),
        CLOCK::get, () -> self);
    ChunkOperations operations = new ChunkOperations(state, store, locks, CLOCK::get);
    ChunkCopies copies = new ChunkCopies(state, store, locks, offline, CLOCK::get, Sleeper.REAL, () -> self,
        1L << 30, 2);
    ChunkServiceHandler handler = new ChunkServiceHandler(pipeline, mutations, operations, copies,
        EpochFence.inMemory());
    processor = new ChunkServerService.Processor<>(handler);
    // Chunks the fuzzer can find with small numbers: 1 and 2 held as primary, 3 as a secondary.
    handler.assignVersion(1, 1, true, 3_600_000, 0, null);
    handler.assignVersion(2, 1, true, 3_600_000, 0, null);
    handler.assignVersion(3, 1, true, 0, 0, null);
  }

  @AfterAll
  static void stop() {
    if (threads != null) {
      threads.shutdownNow();
    }
    if (store != null) {
      store.close();
    }
  }

  @FuzzTest(maxDuration = "2m")
  void structuredCalls(FuzzedDataProvider data) throws TException, IOException {
    check(FuzzedCalls.structuredCall(processor, data, STRINGS));
  }

  @FuzzTest(maxDuration = "2m")
  void rawMessages(byte[] request) throws IOException {
    check(request);
  }

  private static void check(byte[] request) throws IOException {
    CLOCK.addAndGet(10);
    List<Object> before = replicas();
    FuzzedCalls.Outcome outcome = FuzzedCalls.run(processor, request, LIMITS);
    assertTrue(outcome.clean(), () -> "an untyped answer to bad input: " + outcome);
    state.checkInvariants();
    pushBuffer.checkInvariants();
    if (outcome.rejected()) {
      assertEquals(before, replicas(), () -> "a rejected request changed a replica: " + outcome);
    }
  }

  /** Every replica's version, corrupt mark, length and CRC. */
  private static List<Object> replicas() throws IOException {
    List<Object> out = new ArrayList<>();
    for (ReplicaView r : state.replicas()) {
      out.add(r);
      if (!r.corrupt()) {
        out.add(store.chunkCrc(r.handle()));
      }
    }
    return out;
  }
}
