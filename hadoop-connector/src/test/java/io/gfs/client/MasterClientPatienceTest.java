package io.gfs.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.client.state.RetryPolicy;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How long a master call waits for a master: the sum of the retry policy's pauses, summed once per client (the policy
 * is immutable) and spent the same way by every call, with no pause longer than {@link MasterClient#PAUSE_MILLIS_MAX}.
 * No socket is opened: the locator finds no master.
 */
class MasterClientPatienceTest {
  @Test
  void patienceIsTheSumOfThePolicysPauses() {
    assertEquals(400 + 800, MasterClient.patienceMillis(new RetryPolicy(3, 400)));
    assertEquals(0, MasterClient.patienceMillis(new RetryPolicy(1, 400)), "one attempt: no pause");
    assertEquals(0, MasterClient.patienceMillis(new RetryPolicy(5, 0)), "no backoff");
    assertEquals(10 * RetryPolicy.BACKOFF_MILLIS_MAX,
        MasterClient.patienceMillis(new RetryPolicy(11, RetryPolicy.BACKOFF_MILLIS_MAX)), "each pause capped");
  }

  @Test
  void everyCallOfAClientWaitsItsWholePatienceInCappedPauses() {
    List<Long> pauses = new ArrayList<>();
    try (RpcClients rpc = new RpcClients(RpcLimits.defaults())) {
      MasterClient client = new MasterClient(new NoMaster(), rpc, new RetryPolicy(3, 400), pauses::add);
      for (int call = 0; call < 2; call++) {
        pauses.clear();
        IOException e = assertThrows(IOException.class, () -> client.call("getFileInfo /a", c -> c.getFileInfo("/a")));
        assertTrue(e.getMessage().contains("after 4 attempts in 1200 ms"), e.getMessage());
        // 400, then 800 capped at 500; the attempts are used up but not the time: the rest, 300.
        assertEquals(List.of(400L, 500L, 300L), pauses, "call " + call);
      }
    }
  }

  /** No master registered: every attempt fails to locate one. */
  private static final class NoMaster implements MasterLocator {
    @Override
    public HostPort locate() throws IOException {
      throw new IOException("no master registered");
    }

    @Override
    public void invalidate(HostPort failed) {}

    @Override
    public void redirect(HostPort master) {}

    @Override
    public void close() {}
  }
}
