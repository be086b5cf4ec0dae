package io.gfs.bench;

import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.dist.MiniGfsCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * The two systems of one run, of the same shape: HDFS (1 NameNode, 3 DataNodes) and gfs (1 master, 3 chunkservers),
 * replication 3, 64 MiB blocks and chunks, all on this machine's loopback and disk. Both run inside this JVM by
 * default (like with like); gfs can run as separate processes instead, which the report then says.
 */
final class Clusters implements AutoCloseable {
  /** gfs's {@code gfs.master.gc.retention.ms} in the bench: deleted files are purged at once, as HDFS frees them. */
  static final long GC_RETENTION_MILLIS = 0;
  private final MiniDFSCluster hdfs;
  private final MiniGfsCluster gfs;
  private final boolean gfsProcesses;
  private final Path workDir;
  /**
   * Each system's client configuration, its resources parsed once: every client gets a copy ({@code new
   * Configuration(loaded)} clones the parsed properties). Before, every gfs client got a fresh {@code new
   * Configuration()} that parsed Hadoop's default XML resources again (2.2-3.7 ms a client against 65-160 us for a
   * copy, measured at load 5), while HDFS's clients shared the MiniDFSCluster's loaded one.
   */
  private final Configuration gfsClientConf;
  private final Configuration hdfsClientConf;

  private Clusters(MiniDFSCluster hdfs, MiniGfsCluster gfs, boolean gfsProcesses, Path workDir) {
    this.hdfs = hdfs;
    this.gfs = gfs;
    this.gfsProcesses = gfsProcesses;
    this.workDir = workDir;
    this.gfsClientConf = loaded(gfs.clientConfiguration());
    this.hdfsClientConf = loaded(hdfs.getConfiguration(0));
  }

  /** {@code conf} with its resources parsed now, so the copies made from it never parse them. */
  private static Configuration loaded(Configuration conf) {
    conf.size();
    return conf;
  }

  static Clusters start(Path workDir, boolean gfsProcesses) throws IOException {
    MiniGfsCluster gfs = MiniGfsCluster.builder(workDir.resolve(Measurement.GFS))
        .chunkServers(BenchConfig.SERVERS)
        .chunkSizeBytes(BenchConfig.BLOCK_SIZE_BYTES)
        .separateProcesses(gfsProcesses)
        // The clients reach the master by address: a ZooKeeper lookup would only add a startup step to gfs.
        .zookeeper(false)
        .clusterName("bench")
        // The product defaults, not MiniGfsCluster's test timings: every heartbeat carries a full chunk report, so
        // a test's 500 ms interval would double what the master spends on them.
        .heartbeatIntervalMillis(Long.parseLong(GfsConfigKeys.Master.HEARTBEAT_INTERVAL_MS.defaultValue()))
        .chunkServerDeadAfterMillis(Long.parseLong(GfsConfigKeys.Master.CHUNKSERVER_DEAD_AFTER_MS.defaultValue()))
        // Like with like on delete: HDFS's FileSystem.delete frees a file's blocks at once (the DataNodes unlink them
        // within a heartbeat or two), where gfs's default keeps a deleted file hidden for 3 days [0075]. Retention 0
        // purges at once, and the chunkservers unlink the chunks at their next heartbeat. With the default, every
        // round's replicas stayed on disk and in the page cache (~19 GiB a seq run).
        .masterConfig(GfsConfigKeys.Master.GC_RETENTION_MS.name(), String.valueOf(GC_RETENTION_MILLIS))
        .jvmOptions(List.of("-Xms256m", "-Xmx2g", "-XX:+UseParallelGC", "-XX:+ExitOnOutOfMemoryError",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"))
        .build();
    try {
      Configuration conf = new Configuration();
      conf.setInt("dfs.replication", BenchConfig.REPLICATION);
      conf.setLong("dfs.blocksize", BenchConfig.BLOCK_SIZE_BYTES);
      // Like with like on durability: a gfs chunkserver fsyncs a chunk when a writer completes or closes it (close is
      // hsync) and the gfs master fsyncs its log before acknowledging a mutation; so the DataNodes fsync a block on
      // close, and the NameNode fsyncs its edit log (MiniDFSCluster skips that by default, see skipFsyncForTesting).
      conf.setBoolean("dfs.datanode.synconclose", true);
      // WebHDFS (Jersey) is no part of the data path and needs javax.annotation, which the build leaves out.
      conf.setBoolean("dfs.webhdfs.enabled", false);
      MiniDFSCluster hdfs = new MiniDFSCluster.Builder(conf, workDir.resolve(Measurement.HDFS).toFile())
          .numDataNodes(BenchConfig.SERVERS)
          .format(true)
          .skipFsyncForTesting(false)
          .build();
      hdfs.waitActive();
      return new Clusters(hdfs, gfs, gfsProcesses, workDir);
    } catch (IOException | RuntimeException e) {
      gfs.close();
      throw e;
    }
  }

  /** A new client of the system (its own FileSystem instance, never the shared cache's). */
  FileSystem newClient(String system) throws IOException {
    if (Measurement.GFS.equals(system)) {
      return FileSystem.newInstance(gfs.uri(), new Configuration(gfsClientConf));
    }
    return FileSystem.newInstance(hdfs.getURI(), new Configuration(hdfsClientConf));
  }

  /** The directory that holds everything the system keeps on disk: its data, metadata and logs. */
  Path dir(String system) {
    return workDir.resolve(Measurement.GFS.equals(system) ? Measurement.GFS : Measurement.HDFS);
  }

  /** The client configuration of the system, with fs.defaultFS pointing at it (for MapReduce jobs). */
  Configuration clientConfiguration(String system) {
    if (Measurement.GFS.equals(system)) {
      return new Configuration(gfsClientConf);
    }
    Configuration conf = new Configuration(hdfsClientConf);
    conf.set("fs.defaultFS", hdfs.getURI().toString());
    return conf;
  }

  /** What the report says about where each system ran. */
  String deployment() {
    return "HDFS MiniDFSCluster in this JVM (1 NameNode, 3 DataNodes); gfs MiniGfsCluster "
        + (gfsProcesses ? "as separate processes (1 master, 3 chunkservers, -Xmx2g each)"
            : "in this JVM (1 master, 3 chunkservers)")
        + "; replication 3, 64 MiB blocks and chunks, loopback, one local disk; gfs heartbeats every 1 s"
        + " (its default); both fsync data on close and"
        + " metadata before acknowledging (HDFS: dfs.datanode.synconclose=true, edit log fsync on); both free a"
        + " deleted file's data at once (gfs: gfs.master.gc.retention.ms=0)";
  }

  /** The gfs master's address, for tests that ask it directly. */
  HostPort gfsMasterAddress() {
    return gfs.masterAddress();
  }

  boolean gfsProcesses() {
    return gfsProcesses;
  }

  @Override
  public void close() {
    try {
      hdfs.shutdown(true);
    } finally {
      gfs.close();
    }
  }
}
