package io.gfs.master.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.rpc.FuzzedCalls;
import io.gfs.common.rpc.RpcClients;
import io.gfs.master.oplog.OpLog;
import io.gfs.master.state.MasterState;
import io.gfs.master.state.StateImage;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.MasterService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.thrift.TException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of every method of the master's Thrift service: fuzzed bytes and fuzzed, well-formed calls
 * go through the real processor and handler, over a real op log, exactly as a server worker runs them. Properties
 * after every input: only a typed answer comes back (GfsException other than INTERNAL, a protocol error, or a closed
 * connection; any other exception fails the input), the state's invariants hold, and a rejected request changed
 * nothing (no record logged, the same metadata image). Outgoing calls to chunkservers go through closed RPC clients,
 * so a fuzzed heartbeat's address is never contacted. Saved inputs (src/test/resources/io/gfs/master/server/
 * MasterServiceFuzzTestInputs) run in every build; docs/reliability.md ("Fuzzing") says how to fuzz.
 */
class MasterServiceFuzzTest {
  private static final FuzzedCalls.Dictionary STRINGS = new FuzzedCalls.Dictionary(List.of("/", "/a", "/a/b",
      "/a/f", "/a/b/c", "/x", "/a/.snapshot/s1", "/a/.snapshot", "s1", "s2", "alice", "supergroup", "", "/a//b",
      "/../a", "rack-1", "cs-1", "127.0.0.1"));

  private static Path dir;
  private static MasterState state;
  private static Journal journal;
  private static ExecutorService grantPool;
  private static MasterService.Processor<MasterHandler> processor;
  private static MasterConfig config;
  private static final TestClock CLOCK = new TestClock();

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("gfs-master-fuzz");
    config = MasterConfig.from(GfsConfig.of(Map.of(GfsConfigKeys.Master.META_DIR.name(), dir.toString(),
        GfsConfigKeys.Cluster.CHUNK_SIZE_BYTES.name(), "1m")));
    state = new MasterState(config.stateSettings(), new SplittableRandom(1));
    journal = new Journal(state, OpLog.open(dir, 0, OpLog.SyncHook.NONE), dir, config.checkpointRecords(),
        config.checkpointsKept(), 0, 0);
    RpcClients offline = new RpcClients(config.rpcLimits());
    offline.close(); // every grant and clone call fails at once: no fuzzed address is ever dialled
    grantPool = Executors.newFixedThreadPool(2);
    LeaseGranter granter = new LeaseGranter(state, journal, offline, grantPool, CLOCK, config.leaseDurationMillis());
    MasterHandler handler = new MasterHandler(state, journal, granter, CLOCK, config);
    processor = new MasterService.Processor<>(handler);
    handler.mkdirs("/a/b", "alice", "supergroup", (short) 0755);
    handler.create("/a/f", false, true, 3, "alice", "supergroup", (short) 0644);
    handler.create("/x", false, true, 1, "alice", "supergroup", (short) 0600);
  }

  @AfterAll
  static void stop() throws IOException {
    if (journal != null) {
      journal.close();
    }
    if (grantPool != null) {
      grantPool.shutdownNow();
    }
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @FuzzTest(maxDuration = "2m")
  void structuredCalls(FuzzedDataProvider data) throws TException {
    check(FuzzedCalls.structuredCall(processor, data, STRINGS));
  }

  @FuzzTest(maxDuration = "2m")
  void rawMessages(byte[] request) {
    check(request);
  }

  private static void check(byte[] request) {
    CLOCK.advance(10);
    long sequenceBefore = journal.lastSequence();
    StateImage before = state.image();
    FuzzedCalls.Outcome outcome = FuzzedCalls.run(processor, request, config.rpcLimits());
    assertTrue(outcome.clean(), () -> "an untyped answer to bad input: " + outcome);
    state.checkInvariants();
    // One documented exception: a lease request for a new chunk logs the allocation before it asks chunkservers to
    // create it (the protocol's order); when none does, the answer is NO_CHUNKSERVERS with the chunk allocated.
    boolean allocatedThenRefused = outcome.code() == ErrorCode.NO_CHUNKSERVERS;
    if (outcome.rejected() && !allocatedThenRefused) {
      assertEquals(sequenceBefore, journal.lastSequence(), () -> "a rejected request was logged: " + outcome);
      assertEquals(before, state.image(), () -> "a rejected request changed the metadata: " + outcome);
    }
  }
}
