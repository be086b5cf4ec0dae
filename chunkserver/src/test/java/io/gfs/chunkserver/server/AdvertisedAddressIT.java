package io.gfs.chunkserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcErrors;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gfs.chunkserver.advertised.address: a chunkserver reached through NAT, a forwarded port or a proxy tells the master
 * that address in its heartbeats (so clients and other chunkservers dial it) while it still serves on the bound one.
 */
class AdvertisedAddressIT {
  @Test
  void theHeartbeatCarriesTheAdvertisedAddressAndTheServerStillServesOnItsBoundPort(@TempDir Path dir)
      throws Exception {
    HostPort advertised = new HostPort("gfs-cs.example", 7710);
    try (ThreeChunkServers cluster = new ThreeChunkServers(dir,
        Map.of(GfsConfigKeys.ChunkServer.ADVERTISED_ADDRESS.name(), advertised.toString()))) {
      ChunkServer server = cluster.servers.get(0);
      assertEquals(advertised, server.advertisedAddress());
      assertEquals(advertised, RpcErrors.fromThrift(server.nextHeartbeat().getAddress()));
      assertNotEquals(advertised, server.address(), "it serves on the bound address");
      assertEquals("127.0.0.1", server.address().host());
    }
  }

  @Test
  void withoutTheSettingTheBoundAddressIsAdvertised(@TempDir Path dir) throws Exception {
    try (ThreeChunkServers cluster = new ThreeChunkServers(dir)) {
      ChunkServer server = cluster.servers.get(0);
      assertEquals(server.address(), server.advertisedAddress());
      assertEquals(server.address(), RpcErrors.fromThrift(server.nextHeartbeat().getAddress()));
    }
  }
}
