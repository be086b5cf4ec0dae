package io.gfs.dist.repair;

import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.thrift.gen.ChunkLocation;
import io.gfs.thrift.gen.ChunkLocations;
import io.gfs.thrift.gen.ServerAddress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.thrift.TException;

/** Helpers shared by the repair ITs: deterministic data, chunk files on disk, chunk locations, bounded polls. */
final class RepairSupport {
  private RepairSupport() {}

  /** The byte at position of the stream seeded by seed (same mix as TestData, which is package-private). */
  static byte byteAt(long seed, long position) {
    long word = mix(seed * 0x9E3779B97F4A7C15L + (position >>> 3));
    return (byte) (word >>> ((position & 7) * 8));
  }

  static void fill(long seed, long position, byte[] buffer, int offset, int length) {
    for (int i = 0; i < length; i++) {
      buffer[offset + i] = byteAt(seed, position + i);
    }
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A fresh directory under target/it for one test's cluster; kept after the run so its logs can be read. */
  /** Deletes the chunk files under dir (chunk data of a passed test), keeping logs and metadata. */
  static void dropChunkFiles(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(p -> p.getFileName().toString().endsWith(".chunk")).forEach(p -> p.toFile().delete());
    }
  }

  static Path clusterDir(String name) throws IOException {
    Path dir = Path.of("target", "it", "repair-" + name).toAbsolutePath();
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(dir);
    return dir;
  }

  static List<Path> chunkFiles(Path dataDir) throws IOException {
    if (!Files.exists(dataDir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".chunk")).sorted().collect(Collectors.toList());
    }
  }

  /** Sum of the sizes of the *.chunk files under dataDir; files vanishing while we walk count as gone. */
  static long chunkBytes(Path dataDir) throws IOException {
    long sum = 0;
    for (Path file : chunkFiles(dataDir)) {
      try {
        sum += Files.size(file);
      } catch (java.nio.file.NoSuchFileException deleted) {
        // deleted by the chunkserver between the walk and the stat
      }
    }
    return sum;
  }

  static Path chunkFile(Path dataDir, long handle) throws IOException {
    String name = handle + ".chunk";
    return chunkFiles(dataDir).stream().filter(p -> p.getFileName().toString().equals(name)).findFirst()
        .orElse(null);
  }

  static void flipByte(Path file, long position) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, position);
      one.flip();
      one.put(0, (byte) ~one.get(0));
      channel.write(one, position);
      channel.force(true);
    }
  }

  /** Every chunk of path with its replicas, paging through findChunks. */
  static List<ChunkLocation> chunks(RpcClients rpc, HostPort master, String path) throws TException {
    List<ChunkLocation> all = new ArrayList<>();
    while (true) {
      long first = all.size();
      ChunkLocations page = rpc.master(master, c -> c.findChunks(path, first, 1000));
      List<ChunkLocation> more = page.getChunks().stream().filter(c -> c.getChunkIndex() >= first)
          .sorted(Comparator.comparingLong(ChunkLocation::getChunkIndex)).collect(Collectors.toList());
      all.addAll(more);
      if (more.isEmpty() || all.size() >= page.getFile().getChunkCount()) {
        return all;
      }
    }
  }

  static boolean holds(ChunkLocation chunk, HostPort server) {
    for (ServerAddress replica : chunk.getReplicas()) {
      if (replica.getHost().equals(server.host()) && replica.getPort() == server.port()) {
        return true;
      }
    }
    return false;
  }

  /** Polls condition every pollMillis until it holds or timeoutMillis passed; returns whether it held. */
  static boolean await(long timeoutMillis, long pollMillis, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (true) {
      if (condition.getAsBoolean()) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(pollMillis);
    }
  }
}
