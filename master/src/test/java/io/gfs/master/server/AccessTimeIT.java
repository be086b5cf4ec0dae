package io.gfs.master.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.thrift.gen.MasterService;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads update access times, batched by the precision, durably; precision 0 keeps them as they are. */
class AccessTimeIT {
  @TempDir
  Path metaDir;

  private final RpcClients rpc = new RpcClients(RpcLimits.defaults());
  private final Map<String, String> values = new HashMap<>();
  private MasterServer master;
  private HostPort address;

  private void start(long precisionMillis) throws Exception {
    values.put(GfsConfigKeys.Master.META_DIR.name(), metaDir.toString());
    values.put(GfsConfigKeys.Master.PORT.name(), "0");
    values.put(GfsConfigKeys.Master.HOST.name(), "127.0.0.1");
    values.put(GfsConfigKeys.Master.ACCESS_TIME_PRECISION_MS.name(), Long.toString(precisionMillis));
    master = MasterServer.start(GfsConfig.of(values));
    address = master.address();
  }

  @AfterEach
  void stop() {
    rpc.close();
    if (master != null) {
      master.close();
    }
  }

  private <R> R call(RpcClients.Call<MasterService.Client, R> call) throws Exception {
    return rpc.master(address, call);
  }

  @Test
  void aReadMovesTheAccessTimeOnceThePrecisionHasPassed() throws Exception {
    start(200);
    long created = call(c -> c.create("/f", false, true, 1, null, null, (short) -1)).getAccessTimeMillis();
    Thread.sleep(250); // past the precision, so the next read counts
    call(c -> c.findChunks("/f", 0, 10));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (call(c -> c.getFileInfo("/f")).getAccessTimeMillis() == created) {
      assertTrue(System.nanoTime() < deadline, "the read's access time was never logged");
      Thread.sleep(20);
    }
    long read = call(c -> c.getFileInfo("/f")).getAccessTimeMillis();
    assertTrue(read >= created + 200, read + " vs " + created);
    master.close();
    master = MasterServer.start(GfsConfig.of(values));
    address = master.address();
    assertEquals(read, call(c -> c.getFileInfo("/f")).getAccessTimeMillis(), "logged, so kept across a restart");
  }

  @Test
  void precisionZeroLeavesAccessTimesAlone() throws Exception {
    start(0);
    long created = call(c -> c.create("/f", false, true, 1, null, null, (short) -1)).getAccessTimeMillis();
    Thread.sleep(50);
    call(c -> c.findChunks("/f", 0, 10));
    Thread.sleep(300);
    assertEquals(created, call(c -> c.getFileInfo("/f")).getAccessTimeMillis());
  }
}
