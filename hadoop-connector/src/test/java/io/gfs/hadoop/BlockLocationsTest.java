package io.gfs.hadoop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gfs.client.state.ChunkReplicas;
import io.gfs.common.HostPort;
import java.util.List;
import org.apache.hadoop.fs.BlockLocation;
import org.junit.jupiter.api.Test;

class BlockLocationsTest {
  @Test
  void oneLocationPerChunkWithHostsAndNamesAndTheLastChunkShort() throws Exception {
    long chunk = 1 << 20;
    List<ChunkReplicas> chunks = List.of(
        new ChunkReplicas(1, 11, 1, chunk, List.of(new HostPort("h1", 7710), new HostPort("h2", 7711))),
        new ChunkReplicas(2, 12, 1, 5, List.of(new HostPort("h3", 7712))));
    BlockLocation[] locations = BlockLocations.of(chunks, chunk, 2 * chunk + 5);
    assertEquals(2, locations.length);
    assertEquals(chunk, locations[0].getOffset());
    assertEquals(chunk, locations[0].getLength());
    assertArrayEquals(new String[] {"h1", "h2"}, locations[0].getHosts());
    assertArrayEquals(new String[] {"h1:7710", "h2:7711"}, locations[0].getNames());
    assertEquals(2 * chunk, locations[1].getOffset());
    assertEquals(5, locations[1].getLength());
  }
}
