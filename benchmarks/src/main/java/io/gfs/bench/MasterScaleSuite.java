package io.gfs.bench;

import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.master.oplog.CheckpointFile;
import io.gfs.master.oplog.OpLog;
import io.gfs.master.server.MasterServer;
import io.gfs.master.state.HeartbeatReport;
import io.gfs.master.state.LogRecord;
import io.gfs.master.state.MasterState;
import io.gfs.thrift.gen.ContentSummary;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * The master's scale, in this JVM on its own classes: heap per file and per chunk at the configured file count (one
 * million), the restart time of a master with that many files (checkpoint plus a log tail), and a checkpoint cut
 * while clients keep mutating (see {@link CheckpointUnderLoad}).
 */
final class MasterScaleSuite implements Suite {
  private static final int FILES_PER_DIRECTORY = 1000;
  private static final long NOW_MILLIS = 1_700_000_000_000L;
  /** Longest wait for the restarted master to answer a summary (it answers BUSY about 1 s, see checkRestored). */
  private static final long SUMMARY_WAIT_NANOS_MAX = 60_000_000_000L;

  @Override
  public String name() {
    return "scale";
  }

  @Override
  public boolean needsClusters() {
    return false;
  }

  @Override
  public List<Measurement> run(BenchContext context) throws IOException {
    int files = context.config().scaleFiles();
    List<Measurement> out = new ArrayList<>();
    Path metaDir = context.workDir().resolve("scale-master");
    Files.createDirectories(metaDir);
    long sequence;
    {
      long before = HeapProbe.usedBytesAfterGc();
      MasterState state = new MasterState(settings(), new SplittableRandom(1));
      createFiles(state, files);
      long withFiles = HeapProbe.usedBytesAfterGc();
      addChunksWithReplicas(state, files);
      long withChunks = HeapProbe.usedBytesAfterGc();
      double perFile = (double) (withFiles - before) / files;
      double perChunk = (double) (withChunks - withFiles) / files;
      String tree = files + " files in " + (files / FILES_PER_DIRECTORY) + " directories (names like"
          + " /scale/d0042/f000123)";
      out.add(new Measurement("scale", "master heap per file", "gfs-master", 1, perFile, "bytes", false,
          "MasterState in this JVM: heap used after 4 System.gc() calls, before and after applying CREATE records"
              + " for " + tree + "; delta / files (directories included)"));
      out.add(new Measurement("scale", "master heap per chunk", "gfs-master", 1, perChunk, "bytes", false,
          "then one ADD_CHUNK per file and a full chunk report from each of 3 chunkservers (3 replica locations per"
              + " chunk); heap delta / chunks"));
      context.progress("master heap: %.0f bytes/file, %.0f bytes/chunk", perFile, perChunk);
      sequence = 2L * files + files / FILES_PER_DIRECTORY;
      long start = System.nanoTime();
      CheckpointFile.write(metaDir, sequence, state.image());
      double checkpointSeconds = (System.nanoTime() - start) / 1e9;
      out.add(new Measurement("scale", "checkpoint write, idle", "gfs-master", 1, checkpointSeconds, "s", false,
          "MasterState.image() plus CheckpointFile.write (fsync'd) of " + files + " files and chunks, no load"));
      context.progress("checkpoint of %d files: %.2f s", files, checkpointSeconds);
    }
    int logRecords = context.config().scaleLogRecords();
    appendLogTail(metaDir, sequence, logRecords);
    HeapProbe.usedBytesAfterGc();
    long start = System.nanoTime();
    MasterServer server = MasterServer.start(GfsConfig.of(masterConfig(metaDir, logRecords)));
    double restartSeconds = (System.nanoTime() - start) / 1e9;
    out.add(new Measurement("scale", "master restart", "gfs-master", 1, restartSeconds, "s", false,
        "MasterServer.start on a meta directory holding a checkpoint of " + files + " files with one chunk each and "
            + logRecords + " log records after it; wall time until it serves"));
    context.progress("restart with %d files + %d log records: %.2f s", files, logRecords, restartSeconds);
    try {
      checkRestored(server, files, logRecords);
      out.addAll(new CheckpointUnderLoad(server.address(), metaDir).run(context));
    } finally {
      server.close();
    }
    return out;
  }

  /**
   * The timed restart counts only if the master serves everything it was given: the files and the log tail. No
   * chunkserver reports to this master, so it answers a summary of files with chunks BUSY (their lengths are not
   * known) until it has served a dead-after interval ({@link #masterConfig}: 1 s) without hearing one.
   */
  private static void checkRestored(MasterServer server, int files, int logRecords) throws IOException {
    try (RpcClients rpc = new RpcClients(RpcLimits.defaults())) {
      ContentSummary scale = summaryOnceKnown(rpc, server.address(), "/scale");
      long tailDirectories = logRecords == 0 ? 0 : summaryOnceKnown(rpc, server.address(), "/tail")
          .getDirectoryCount() - 1;
      if (scale.getFileCount() != files || tailDirectories != logRecords) {
        throw new IllegalStateException(String.format("the restarted master holds %d files under /scale and %d"
            + " directories below /tail; expected %d and %d", scale.getFileCount(), tailDirectories, files,
            logRecords));
      }
    } catch (org.apache.thrift.TException e) {
      throw new IOException("cannot check the restarted master: " + e, e);
    }
  }

  private static ContentSummary summaryOnceKnown(RpcClients rpc, HostPort master, String path)
      throws org.apache.thrift.TException, IOException {
    long deadline = System.nanoTime() + SUMMARY_WAIT_NANOS_MAX;
    while (true) {
      try {
        return rpc.master(master, c -> c.getContentSummary(path));
      } catch (GfsException e) {
        if (e.getCode() != ErrorCode.BUSY || System.nanoTime() - deadline >= 0) {
          throw e;
        }
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the restarted master's summary of " + path, e);
      }
    }
  }

  private static MasterState.Settings settings() {
    return new MasterState.Settings(BenchConfig.BLOCK_SIZE_BYTES, 60_000, 30_000, BenchConfig.REPLICATION);
  }

  private static void createFiles(MasterState state, int files) {
    for (int d = 0; d * FILES_PER_DIRECTORY < files; d++) {
      state.apply(new LogRecord.Mkdir(directory(d), NOW_MILLIS));
    }
    for (int i = 0; i < files; i++) {
      state.apply(new LogRecord.Create(file(i), BenchConfig.REPLICATION, NOW_MILLIS, false, false));
    }
  }

  private static void addChunksWithReplicas(MasterState state, int files) {
    for (int i = 0; i < files; i++) {
      state.apply(new LogRecord.AddChunk(file(i), 0, i + 1L, 1, NOW_MILLIS));
    }
    List<HeartbeatReport.Replica> replicas = new ArrayList<>(files);
    for (int i = 0; i < files; i++) {
      replicas.add(new HeartbeatReport.Replica(i + 1L, 1, BenchConfig.BLOCK_SIZE_BYTES));
    }
    for (int s = 0; s < BenchConfig.SERVERS; s++) {
      state.heartbeat(new HeartbeatReport("cs-" + s, new HostPort("127.0.0.1", 9000 + s), "/rack0", 1L << 40, 0,
          replicas, List.of(), List.of()), NOW_MILLIS);
    }
  }

  static String directory(int d) {
    return String.format("/scale/d%04d", d);
  }

  static String file(int i) {
    return String.format("%s/f%06d", directory(i / FILES_PER_DIRECTORY), i);
  }

  /** Mkdir records after the checkpoint, group-committed, so a restart replays a log tail as well. */
  private static void appendLogTail(Path metaDir, long sequence, int records) throws IOException {
    try (OpLog log = OpLog.open(metaDir, sequence, OpLog.SyncHook.NONE)) {
      CompletableFuture<Long> last = CompletableFuture.completedFuture(sequence);
      for (int i = 0; i < records; i++) {
        last = log.append(new LogRecord.Mkdir(String.format("/tail/d%07d", i), NOW_MILLIS));
        if (i % 10_000 == 9_999) {
          last.join();
        }
      }
      last.join();
    }
  }

  static Map<String, String> masterConfig(Path metaDir, int replayedRecords) {
    Map<String, String> c = new HashMap<>();
    c.put(GfsConfigKeys.Cluster.NAME.name(), "scale");
    c.put(GfsConfigKeys.Cluster.ZOOKEEPER_CONNECT.name(), "");
    c.put(GfsConfigKeys.Cluster.CHUNK_SIZE_BYTES.name(), Long.toString(BenchConfig.BLOCK_SIZE_BYTES));
    c.put(GfsConfigKeys.Master.HOST.name(), "127.0.0.1");
    c.put(GfsConfigKeys.Master.PORT.name(), "0");
    c.put(GfsConfigKeys.Master.META_DIR.name(), metaDir.toString());
    // The next checkpoint starts CheckpointUnderLoad.TRIGGER_AFTER_RECORDS commits into the load.
    c.put(GfsConfigKeys.Master.CHECKPOINT_RECORDS.name(),
        Long.toString(replayedRecords + CheckpointUnderLoad.TRIGGER_AFTER_RECORDS));
    // No chunkserver reports here: keep the background scans from walking a million replica-less chunks.
    c.put(GfsConfigKeys.Master.REPLICATION_SCAN_INTERVAL_MS.name(), "600000");
    c.put(GfsConfigKeys.Master.GC_SCAN_INTERVAL_MS.name(), "86400000");
    // No chunkserver ever reports here, so lookups of files with chunks wait until the master has served a dead-after
    // interval without one (ChunkCoordinator.reportsSettled): a short one lets checkRestored through a second after
    // the timed restart (the interval needs a shorter heartbeat interval, which nothing here uses).
    c.put(GfsConfigKeys.Master.HEARTBEAT_INTERVAL_MS.name(), "500");
    c.put(GfsConfigKeys.Master.CHUNKSERVER_DEAD_AFTER_MS.name(), "1000");
    return c;
  }
}
