package io.gfs.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gfs.common.GfsConfig;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.common.rpc.RpcServer;
import io.gfs.thrift.gen.ChunkLease;
import io.gfs.thrift.gen.ChunkServerService;
import io.gfs.thrift.gen.MasterService;
import io.gfs.thrift.gen.RecordAppendReply;
import io.gfs.thrift.gen.RecordAppendRequest;
import io.gfs.thrift.gen.ServerAddress;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.thrift.TBaseProcessor;
import org.apache.thrift.TProcessor;
import org.junit.jupiter.api.Test;

/**
 * Issue 6: after recordAppend returns, the master knows a length covering the record, whoever told it. A primary that
 * says it reported (appendRecord's lengthReported) spares the client its reportChunkLength; one that did not (its
 * report failed), or an older chunkserver without appendRecord (UNKNOWN_METHOD), leaves it to the client. A fake
 * master and fake chunkservers on real sockets record what the client sends.
 */
class RecordAppendLengthReportTest {
  private static final long HANDLE = 7;
  private static final int RECORD_BYTES = 100;

  /** reportChunkLength calls the fake master received: (chunk index, handle, length). */
  private final List<List<Long>> reports = new CopyOnWriteArrayList<>();
  /** Calls the fake chunkserver received, by method name. */
  private final List<String> primaryCalls = new CopyOnWriteArrayList<>();
  private final AtomicLong chunkEnd = new AtomicLong();

  @Test
  void aPrimaryThatReportedSparesTheClientsReport() throws Exception {
    assertEquals(List.of(), appendTwice(true, true));
    assertEquals(List.of("appendRecord", "appendRecord"), primaryCalls);
  }

  @Test
  void aPrimaryThatDidNotReportLeavesTheReportToTheClient() throws Exception {
    assertEquals(List.of(List.of(0L, HANDLE, 100L), List.of(0L, HANDLE, 200L)), appendTwice(true, false));
    assertEquals(List.of("appendRecord", "appendRecord"), primaryCalls);
  }

  @Test
  void anOlderPrimaryGetsRecordAppendAndTheClientReports() throws Exception {
    assertEquals(List.of(List.of(0L, HANDLE, 100L), List.of(0L, HANDLE, 200L)), appendTwice(false, false));
    // The first appendRecord was refused as unknown (nothing applied there); after it the client asks no more.
    assertEquals(List.of("recordAppend", "recordAppend"), primaryCalls);
  }

  /** Two appends through a client; the reportChunkLength calls the master received. */
  private List<List<Long>> appendTwice(boolean primaryKnowsAppendRecord, boolean primaryReports) throws Exception {
    try (RpcServer primary = RpcServer.start("fake-primary", new HostPort("127.0.0.1", 0),
            chunkServer(primaryKnowsAppendRecord, primaryReports), RpcLimits.defaults());
        RpcServer master = RpcServer.start("fake-master", new HostPort("127.0.0.1", 0),
            // as the master serves: the client's request ids ride on the method names
            io.gfs.common.security.CallerEnvelope.serve(new io.gfs.ha.RequestIdProcessor(
                new MasterService.Processor<>(master(new ServerAddress("127.0.0.1", primary.port()))))),
            RpcLimits.defaults());
        GfsClient client = GfsClient.create("test", GfsClientOptions.from(GfsConfig.of(Map.of(
            "fs.gfs.master.address", "127.0.0.1:" + master.port()))))) {
      byte[] record = new byte[RECORD_BYTES];
      assertEquals(0, client.recordAppend("/log", record, 0, RECORD_BYTES));
      assertEquals(RECORD_BYTES, client.recordAppend("/log", record, 0, RECORD_BYTES));
    }
    return reports;
  }

  private MasterService.Iface master(ServerAddress primary) {
    return fake(MasterService.Iface.class, (name, args) -> switch (name) {
      case "acquireLease" -> new ChunkLease(0, HANDLE, 1, primary, List.of(), 60_000, 64L << 20);
      case "reportChunkLength" -> {
        reports.add(List.of((Long) args[1], (Long) args[2], (Long) args[3]));
        yield null;
      }
      default -> throw new UnsupportedOperationException(name);
    });
  }

  private TProcessor chunkServer(boolean knowsAppendRecord, boolean reports) {
    ChunkServerService.Iface handler = fake(ChunkServerService.Iface.class, (name, args) -> {
      primaryCalls.add(name);
      long offset = chunkEnd.getAndAdd(((RecordAppendRequest) args[0]).getLengthBytes());
      return switch (name) {
        case "recordAppend" -> offset;
        case "appendRecord" -> reports ? new RecordAppendReply(offset).setLengthReported(true)
            : new RecordAppendReply(offset);
        default -> throw new UnsupportedOperationException(name);
      };
    });
    ChunkServerService.Processor<ChunkServerService.Iface> processor = new ChunkServerService.Processor<>(handler);
    if (knowsAppendRecord) {
      return processor;
    }
    var methods = new HashMap<>(processor.getProcessMapView());
    methods.remove("appendRecord"); // a chunkserver from before issue 6's appendRecord: UNKNOWN_METHOD
    return new TBaseProcessor<>(handler, methods) {};
  }

  private interface Answer {
    Object answer(String method, Object[] args) throws Exception;
  }

  private static <T> T fake(Class<T> iface, Answer answer) {
    return iface.cast(Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        try {
          return method.invoke(answer, args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      }
      return answer.answer(method.getName(), args);
    }));
  }
}
