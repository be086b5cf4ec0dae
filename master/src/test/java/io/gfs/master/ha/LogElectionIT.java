package io.gfs.master.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.common.rpc.RpcServer;
import io.gfs.master.oplog.EpochTable;
import io.gfs.master.oplog.LogEntry;
import io.gfs.master.oplog.LogTail;
import io.gfs.master.oplog.LogTruncation;
import io.gfs.master.oplog.OpLog;
import io.gfs.master.oplog.Recovery;
import io.gfs.master.state.LogRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replicated log's election (issue 4, docs/reliability.md): three masters A, B, C, each with its own meta directory,
 * op log and real replicateLog server (StandbyService), driven step by step through the crash that once lost an
 * acknowledged create. A (epoch 1) flushes two records locally that no replica gets (never acknowledged) and dies; B
 * is elected (epoch 2) without A, writes its NEW_TERM record and a create at the same two positions, C acknowledges
 * them; B dies; A comes back. A's last sequence equals C's, so comparing sequences alone let A serve and lose B's
 * acknowledged create; comparing (epoch of the last record, sequence) makes A step aside. The next master, C, finds
 * A's divergent suffix with the epoch tables, A cuts it and takes C's records.
 */
class LogElectionIT {
  /** Generous: every acknowledged batch of the scenario must make it in time even at load 20+. */
  private static final long BATCH_TIMEOUT_MILLIS = 20_000;

  @TempDir
  Path dir;

  private final List<AutoCloseable> open = new ArrayList<>();

  /** One master: its log, its replica end and the server that receives batches (down while it is "crashed"). */
  private final class Node implements LogReplica.Sink {
    final Path metaDir;
    OpLog log;
    LogReplica replica = new LogReplica(this);
    RpcServer server;
    int port;
    LogShipper shipper;
    RpcClients rpc;

    Node(String name, OpLog.SyncHook hook) throws IOException {
      metaDir = dir.resolve(name);
      Files.createDirectories(metaDir);
      log = OpLog.open(metaDir, 0, hook);
      up();
    }

    void up() throws IOException {
      server = StandbyService.start(new HostPort("127.0.0.1", port), RpcLimits.defaults(), replica,
          InstantSource.system());
      port = server.port();
    }

    void down() {
      server.close();
    }

    HostPort address() {
      return new HostPort("127.0.0.1", port);
    }

    /** What MasterServer's become-active sequence does: probe, then ship, then the NEW_TERM record. */
    void elect(long epoch, Node... others) throws IOException {
      replica.becomeActive(epoch);
      rpc = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(30_000));
      List<HostPort> replicas = new ArrayList<>();
      for (Node other : others) {
        replicas.add(other.address());
      }
      shipper = new LogShipper(replicas, LogShipper.Acks.MAJORITY, () -> epoch, rpc, metaDir, BATCH_TIMEOUT_MILLIS);
      shipper.trackEpochs(log.epochs());
      shipper.checkNoReplicaAhead(log.lastSequence());
      log.replicateWith(shipper);
      log.appendAndWait(new LogRecord.NewTerm(epoch, 1));
    }

    /** SIGKILL: the process and its server go; its meta directory stays. */
    void crash() {
      down();
      if (shipper != null) {
        shipper.close();
        rpc.close();
        shipper = null;
        // A dead master ships nothing more: its lanes (still retrying an unreachable replica) must be gone before
        // that replica comes back. Only this node ships at each crash of the scenario.
        awaitUntil(() -> Thread.getAllStackTraces().keySet().stream()
            .noneMatch(t -> t.getName().startsWith("gfs-log-ship-")), "the dead master's ship lanes ended");
      }
      log.close();
    }

    /** A restart: recovery of the meta directory, a new replica end, the server back on the same port. */
    void restart() throws IOException {
      long last = Recovery.recover(metaDir, image -> { }, entry -> { }).lastSequence();
      log = OpLog.open(metaDir, last, OpLog.SyncHook.NONE);
      replica = new LogReplica(this);
      up();
    }

    void close() {
      if (shipper != null) {
        shipper.close();
        rpc.close();
      }
      server.close();
      log.close();
    }

    List<String> paths() throws IOException {
      List<String> paths = new ArrayList<>();
      for (LogEntry e : LogTail.read(metaDir, 1, 1000)) {
        paths.add(e.record() instanceof LogRecord.Mkdir m ? m.path() : "term " + ((LogRecord.NewTerm) e.record())
            .epoch());
      }
      return paths;
    }

    @Override
    public long lastSequence() {
      return log.lastSequence();
    }

    @Override
    public void commit(List<LogEntry> entries) throws IOException {
      for (LogEntry entry : entries) {
        assertEquals(entry.sequence(), log.appendAndWait(entry.record()));
      }
    }

    @Override
    public List<LogEntry> logged(long fromSequence, int max) throws IOException {
      return LogTail.read(metaDir, fromSequence, max);
    }

    @Override
    public List<EpochTable.Start> epochs() {
      return log.epochs().starts();
    }

    @Override
    public void truncateAfter(long lastKeptSequence) throws IOException {
      log.close();
      LogTruncation.truncateAfter(metaDir, lastKeptSequence);
      long last = Recovery.recover(metaDir, image -> { }, entry -> { }).lastSequence();
      log = OpLog.open(metaDir, last, OpLog.SyncHook.NONE);
    }
  }

  @AfterEach
  void closeAll() {
    for (AutoCloseable c : open) {
      try {
        c.close();
      } catch (Exception ignored) {
        // best effort: the next one must close too
      }
    }
  }

  private static void awaitUntil(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 60 s: " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting until " + what);
      }
    }
  }

  private static LogRecord mkdir(String path) {
    return new LogRecord.Mkdir(path, 1, null);
  }

  /**
   * A replica that missed many large records catches up in batches that fit its RPC frame. A full CHUNK_LENGTHS record
   * (4,096 chunks) is about 49 KB: the 1,024 records of one catch-up batch were about 50 MB, past the 8 MiB frame
   * limit, so the replica's server dropped every such batch and the replica never caught up.
   */
  @Test
  void aReplicaThatMissedManyLargeRecordsCatchesUp() throws Exception {
    Node a = new Node("a", OpLog.SyncHook.NONE);
    open.add(() -> a.close());
    Node b = new Node("b", OpLog.SyncHook.NONE);
    open.add(() -> b.close());
    Node c = new Node("c", OpLog.SyncHook.NONE);
    open.add(() -> c.close());
    a.elect(1, b, c);
    c.down();
    int records = 250; // about 12 MB
    long[] handles = new long[LogRecord.ChunkLengths.ENTRIES_MAX];
    int[] lengths = new int[handles.length];
    java.util.Arrays.fill(lengths, 1 << 26);
    for (int r = 0; r < records; r++) {
      for (int i = 0; i < handles.length; i++) {
        handles[i] = 1 + (long) r * handles.length + i;
      }
      a.log.appendAndWait(new LogRecord.ChunkLengths(handles.clone(), lengths)); // acknowledged by b: a majority
    }
    a.crash(); // its lanes end with it: the next term's shipper finds c behind and catches it up from a's segments
    a.restart();
    c.up();
    a.elect(2, b, c);
    long last = a.log.appendAndWait(mkdir("/after"));
    awaitUntil(() -> c.lastSequence() == last, "c caught up to sequence " + last + " (at " + c.lastSequence() + ")");
    assertEquals(LogTail.read(a.metaDir, 1, records + 2), LogTail.read(c.metaDir, 1, records + 2));
  }

  @Test
  void aMasterHoldingAnUnacknowledgedSuffixStepsAsideAndLaterCutsIt() throws Exception {
    // A's writer pauses once in its sync hook (so two appends queue into one batch) and, for a batch of two records,
    // cuts the replicas off after writing it locally: the crash between A's fsync and replication, made deterministic.
    AtomicBoolean holdNext = new AtomicBoolean();
    CountDownLatch inHook = new CountDownLatch(1);
    CountDownLatch queued = new CountDownLatch(1);
    List<Node> cut = new ArrayList<>();
    Node a = new Node("a", records -> {
      if (holdNext.getAndSet(false)) {
        inHook.countDown();
        try {
          assertTrue(queued.await(60, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      }
      if (records == 2 && !cut.isEmpty()) {
        // The batch before was acknowledged by the first replica; let the other have it too before the cut.
        awaitUntil(() -> cut.stream().allMatch(n -> n.lastSequence() == 3), "both replicas hold sequence 3");
        cut.forEach(Node::down);
      }
    });
    open.add(() -> a.close());
    Node b = new Node("b", OpLog.SyncHook.NONE);
    open.add(() -> b.close());
    Node c = new Node("c", OpLog.SyncHook.NONE);
    open.add(() -> c.close());

    a.elect(1, b, c); // sequence 1: term 1
    assertEquals(2, a.log.appendAndWait(mkdir("/acked-by-all"))); // N = 2, on every log
    holdNext.set(true);
    CompletableFuture<Long> third = a.log.append(mkdir("/acked-in-epoch-1"));
    assertTrue(inHook.await(60, TimeUnit.SECONDS));
    cut.add(b);
    cut.add(c);
    CompletableFuture<Long> unacked1 = a.log.append(mkdir("/unacked-1"));
    CompletableFuture<Long> unacked2 = a.log.append(mkdir("/unacked-2"));
    queued.countDown();
    assertEquals(3, third.get(60, TimeUnit.SECONDS));
    assertThrows(Exception.class, () -> unacked1.get(60, TimeUnit.SECONDS), "no replica had it: not acknowledged");
    assertThrows(Exception.class, () -> unacked2.get(60, TimeUnit.SECONDS));
    a.crash();
    assertEquals(List.of("term 1", "/acked-by-all", "/acked-in-epoch-1", "/unacked-1", "/unacked-2"), a.paths(),
        "A flushed both locally before it died");

    b.up();
    c.up();
    b.elect(2, a, c); // A is down: C alone answers the probe (1 of 2 replicas is the majority rule's quorum)
    assertEquals(5, b.log.appendAndWait(mkdir("/acked-in-epoch-2")), "C acknowledged it");
    b.crash();
    assertEquals(List.of("term 1", "/acked-by-all", "/acked-in-epoch-1", "term 2", "/acked-in-epoch-2"), c.paths());

    a.restart();
    assertEquals(5, a.log.lastSequence(), "A's last sequence equals C's: sequences alone cannot tell them apart");
    IOException aside = assertThrows(IOException.class, () -> a.elect(3, b, c),
        "A must not serve: C's last record is of epoch 2, A's of epoch 1");
    assertTrue(aside.getMessage().contains("ahead of this"), aside.getMessage());
    assertEquals(List.of("term 1", "/acked-by-all", "/acked-in-epoch-1", "term 2", "/acked-in-epoch-2"), c.paths(),
        "C kept the acknowledged create: it did not cut its log for a less up-to-date prober");
    a.crash();

    a.restart();
    c.elect(4, a, b); // B is down: A answers, finds its divergent suffix with C's epoch table and cuts it
    assertEquals(7, c.log.appendAndWait(mkdir("/acked-in-epoch-4")));
    List<String> expected = List.of("term 1", "/acked-by-all", "/acked-in-epoch-1", "term 2", "/acked-in-epoch-2",
        "term 4", "/acked-in-epoch-4");
    assertEquals(expected, c.paths());
    assertEquals(expected, a.paths(), "A cut /unacked-1 and /unacked-2 and took C's records");
    assertEquals(List.of(new EpochTable.Start(1, 1), new EpochTable.Start(2, 4), new EpochTable.Start(4, 6)),
        a.log.epochs().starts());
    assertFalse(a.paths().contains("/unacked-1"));
  }
}
