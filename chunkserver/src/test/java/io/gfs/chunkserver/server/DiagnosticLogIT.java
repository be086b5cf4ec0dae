package io.gfs.chunkserver.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.GfsConfigKeys;
import io.gfs.common.rpc.DiagnosticLog;
import io.gfs.common.rpc.RpcEvent;
import io.gfs.thrift.gen.WriteRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chunkservers keep a diagnostic log of every RPC, primary and secondaries alike, never with file data [0134]. */
class DiagnosticLogIT {
  private static final byte[] DATA = "FILE-BYTES-NOT-FOR-LOGS.".repeat(50_000).getBytes(StandardCharsets.US_ASCII);

  @TempDir
  Path dir;

  private static List<String> methods(ChunkServer server) {
    return server.diagnostics().recentEvents().stream().map(RpcEvent::method).toList();
  }

  @Test
  void aWriteShowsUpOnEveryReplicaInOrderWithoutItsBytes() throws Exception {
    Path logs = dir.resolve("logs");
    try (ThreeChunkServers cluster = new ThreeChunkServers(dir.resolve("data"),
        Map.of(GfsConfigKeys.Diagnostic.LOG_DIR.name(), logs.toString()))) {
      cluster.assign(1, 1, true, 0, 60_000, 0, 1, 2);
      cluster.push(9, DATA, cluster.chain(0, 1, 2));
      WriteRequest write = new WriteRequest(1, 1, 0, 9, DATA.length, List.of(cluster.wire(1), cluster.wire(2)), true);
      cluster.call(0, c -> {
        c.write(write);
        return null;
      });
      assertArrayEquals(DATA, cluster.read(2, 1, 1, 0, DATA.length));
      // The pushed pieces arrive at replica 0 from the client and at replica 1 from replica 0, in order.
      List<String> primary = methods(cluster.get(0));
      assertEquals("assignVersion", primary.get(0));
      assertEquals(List.of("pushData", "pushData", "write"), primary.subList(primary.size() - 3, primary.size()));
      List<String> secondary = methods(cluster.get(1));
      assertEquals(List.of("assignVersion", "pushData", "pushData", "applyMutation"), secondary);
      List<String> last = methods(cluster.get(2));
      assertEquals(List.of("assignVersion", "pushData", "pushData", "applyMutation", "read", "read"), last);
      RpcEvent apply = cluster.get(1).diagnostics().recentEvents().get(3);
      assertEquals("OK", apply.outcome());
      assertTrue(apply.peer().startsWith("127.0.0.1:"), apply.peer());
      assertTrue(apply.request().contains("kind=WRITE") && apply.request().contains("lengthBytes=" + DATA.length),
          apply.request());
      for (int r = 0; r < 3; r++) {
        DiagnosticLog log = cluster.get(r).diagnostics();
        assertTrue(log.flush(10_000));
        String text = Files.readString(log.currentFile(), StandardCharsets.UTF_8);
        assertTrue(text.contains("\tpushData\t") || r == 2 && text.contains("\tread\t"), text);
        assertFalse(text.contains("FILE-BYTES"), "replica " + r + " logged file data");
        assertTrue(log.currentFile().getFileName().toString().startsWith("chunkserver-" + cluster.get(r).serverId()));
      }
    }
  }
}
