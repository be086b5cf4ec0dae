package io.gfs.dist.fs.contract;

import io.gfs.dist.MiniGfsCluster;
import io.gfs.hadoop.Gfs;
import io.gfs.hadoop.GfsFileSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-JVM MiniGfsCluster (master and three chunkservers, 1 MiB chunks) per contract test class, registered as a
 * static extension field; the cluster is named after the class so FileSystem's cache never hands one class's
 * instance to another. File systems the contract opens are closed with the cluster.
 */
public final class GfsContractCluster implements BeforeAllCallback, AfterAllCallback {
  static final long CHUNK_SIZE_BYTES = 1 << 20;

  private MiniGfsCluster cluster;
  private final List<FileSystem> opened = new ArrayList<>();

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    String name = context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT).replace("gfscontract", "")
        .replace("it", "");
    Path dir = Path.of("target", "it", "contract", name).toAbsolutePath();
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    cluster = MiniGfsCluster.builder(dir).clusterName("contract-" + name).chunkServers(3)
        .chunkSizeBytes(CHUNK_SIZE_BYTES).separateProcesses(false).zookeeper(false).build();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      synchronized (opened) {
        for (FileSystem fs : opened) {
          try {
            fs.close();
          } catch (IOException | RuntimeException e) {
            // closing a file system a test already closed, or whose cluster is going away: nothing to keep
          }
        }
        opened.clear();
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  MiniGfsCluster cluster() {
    return cluster;
  }

  /**
   * base plus the cluster's client settings (fs.defaultFS and fs.gfs.*) and the FileContext binding, as a user's
   * core-site.xml has them: gfs-default.xml sets the binding only once GfsFileSystem is loaded, and a program that
   * starts with FileContext never loads it.
   */
  Configuration clientConfiguration(Configuration base) {
    Configuration conf = new Configuration(base);
    for (Map.Entry<String, String> e : cluster.clientSettings().entrySet()) {
      conf.set(e.getKey(), e.getValue());
    }
    conf.set(GfsFileSystem.ABSTRACT_FILE_SYSTEM_KEY, Gfs.class.getName());
    return conf;
  }

  /** The cached FileSystem for the cluster (a new one if a test closed the last). */
  FileSystem fileSystem(Configuration base) throws IOException {
    FileSystem fs = FileSystem.get(cluster.uri(), clientConfiguration(base));
    synchronized (opened) {
      if (!opened.contains(fs)) {
        opened.add(fs);
      }
    }
    return fs;
  }
}
