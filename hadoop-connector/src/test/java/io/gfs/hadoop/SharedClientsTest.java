package io.gfs.hadoop;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.gfs.client.GfsClient;
import io.gfs.client.GfsClientOptions;
import io.gfs.common.GfsConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Clients connect lazily, so sharing is checked without any server. */
class SharedClientsTest {
  private static GfsClientOptions options(String master) {
    return GfsClientOptions.from(GfsConfig.of(Map.of("fs.gfs.master.address", master)));
  }

  @Test
  void oneClientPerClusterAndOptionsReplacedOnceClosed() {
    GfsClient a = SharedClients.get("shared-a", options("127.0.0.1:1"));
    assertSame(a, SharedClients.get("shared-a", options("127.0.0.1:1")), "equal options share the client");
    assertNotSame(a, SharedClients.get("shared-b", options("127.0.0.1:1")), "another cluster");
    assertNotSame(a, SharedClients.get("shared-a", options("127.0.0.1:2")), "other options");
    a.close();
    GfsClient again = SharedClients.get("shared-a", options("127.0.0.1:1"));
    assertNotSame(a, again, "a closed client is replaced");
    again.close();
  }
}
