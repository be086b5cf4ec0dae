package io.gfs.dist.reliability;

import io.gfs.common.HostPort;
import io.gfs.dist.MiniGfsCluster;
import io.gfs.thrift.gen.ServerAddress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.stream.Stream;

/** Chunk files on the chunkservers' disks, for the faults that go around the servers: bit flips. */
final class ChunkFiles {
  private ChunkFiles() {}

  /** The index of the chunkserver at address, or -1. */
  static int serverIndex(MiniGfsCluster cluster, int chunkServers, ServerAddress address) {
    HostPort wanted = new HostPort(address.getHost(), address.getPort());
    for (int i = 0; i < chunkServers; i++) {
      if (cluster.chunkServerAddress(i).equals(wanted)) {
        return i;
      }
    }
    return -1;
  }

  static Optional<Path> chunkFile(Path dataDir, long handle) throws IOException {
    String name = handle + ".chunk";
    try (Stream<Path> files = Files.walk(dataDir)) {
      return files.filter(p -> p.getFileName().toString().equals(name)).findFirst();
    }
  }

  /** Flips one bit of the file at position (the byte is read, changed and forced to disk). */
  static void flipBit(Path file, long position, int bit) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, position);
      one.put(0, (byte) (one.get(0) ^ (1 << bit)));
      one.position(0);
      channel.write(one, position);
      channel.force(true);
    }
  }
}
