package io.gfs.chunkserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.Mutation;
import io.gfs.thrift.gen.MutationKind;
import io.gfs.thrift.gen.ServerAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How a record's relay and its group's fan-out reach the secondaries: every secondary at once, the last one called on
 * the primary's own thread (it would only wait otherwise), and every failure named. The RPC clients are closed, so each
 * call fails at once and no address is dialled.
 */
class SecondaryFanoutTest {
  private static final List<ServerAddress> TWO = List.of(new ServerAddress("127.0.0.1", 1),
      new ServerAddress("127.0.0.1", 2));

  private final AtomicInteger handedOff = new AtomicInteger();
  private ExecutorService pool;
  private RpcClients offline;
  private SecondaryFanout fanout;

  @BeforeEach
  void start() {
    pool = Executors.newFixedThreadPool(2);
    offline = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(1000));
    offline.close();
    fanout = new SecondaryFanout(offline, task -> {
      handedOff.incrementAndGet();
      pool.execute(task);
    });
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void aRelayHandsOffAllButOneSecondaryAndNamesEachThatFailed() {
    GfsException failed = assertThrows(GfsException.class,
        () -> fanout.relay(7, ByteBuffer.wrap(new byte[] {1, 2, 3}), 0, null, TWO).await());
    assertTrue(failed.getMessage().contains("127.0.0.1:1") && failed.getMessage().contains("127.0.0.1:2"),
        failed.getMessage());
    assertEquals(1, handedOff.get(), "the last secondary is called on the relaying thread");
  }

  @Test
  void aGroupsFanOutHandsOffAllButOneSecondaryAndFailsEveryMutationEachMissed() {
    List<Mutation> group = List.of(
        Mutations.mutation(9, 1, 1, MutationKind.RECORD_APPEND, 0, 100, 10, false),
        Mutations.mutation(9, 1, 2, MutationKind.RECORD_APPEND, 10, 101, 10, false));
    List<GfsException> failures = fanout.applyGroup(group, List.of(TWO, TWO));
    assertEquals(2, failures.size());
    for (GfsException failure : failures) {
      assertNotNull(failure);
      assertTrue(failure.getMessage().contains("127.0.0.1:1") && failure.getMessage().contains("127.0.0.1:2"),
          failure.getMessage());
    }
    assertEquals(1, handedOff.get(), "the last secondary is called on the committing thread");
  }

  @Test
  void aLoneSecondaryIsCalledWithoutAHandOff() {
    assertThrows(GfsException.class, () -> fanout.relay(7, ByteBuffer.wrap(new byte[] {1}), 0, null, TWO.subList(0, 1)).await());
    assertEquals(0, handedOff.get());
  }
}
