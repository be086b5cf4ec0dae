package io.gfs.master.ha;

import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.master.oplog.EpochTable;
import io.gfs.master.oplog.LogEntry;
import io.gfs.master.oplog.LogTail;
import io.gfs.master.oplog.OpLog;
import io.gfs.master.oplog.RecordCodec;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.LogAck;
import io.gfs.thrift.gen.LogBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending end of op log replication (issue 4, [0121]) on the active master: every batch the op log flushed is
 * shipped to each replica (one thread per replica keeps its order) and the mutation is acknowledged only when the
 * configured number of replicas flushed it too. A replica behind (restarted, or slow under the majority rule) is caught
 * up from this master's segments first. Not enough acks in time fails the batch, which stops this master mutating
 * (fail-fast, like a failed fsync): memory must not run ahead of what the rule promises survives.
 */
public final class LogShipper implements OpLog.Replication, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogShipper.class);
  /** Records per catch-up batch. */
  static final int CATCH_UP_RECORDS_MAX = 1024;
  /**
   * Record bytes per catch-up batch (at least one record): half the smallest frame gfs.rpc.frame.bytes.max allows, so
   * a batch of large records (a CHUNK_LENGTHS record is up to about 49 KB) never exceeds the replica's frame limit.
   */
  static final int CATCH_UP_BYTES_MAX = 1 << 20;
  static final long UNREACHABLE_RETRY_MILLIS = 100;

  /** How many replicas must have flushed a record before its mutation is acknowledged. */
  public enum Acks {
    ALL, MAJORITY;

    public static Acks parse(String value) {
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("gfs.master.log.acks.required must be all or majority, not '" + value + "'");
      }
    }

    /** Replica acks needed with n replicas; the active master counts as one vote under MAJORITY. */
    public int required(int replicas) {
      return this == ALL ? replicas : (replicas + 1) / 2 + 1 - 1;
    }
  }

  private final List<HostPort> replicas;
  private final int required;
  private final LongSupplier epoch;
  private final RpcClients rpc;
  private final Path metaDir;
  private final long timeoutMillis;
  private final List<ExecutorService> lanes = new ArrayList<>();
  /** Shadow masters [0123]: fed the same stream on their own lanes, never waited for, never counted. */
  private volatile java.util.function.Supplier<List<HostPort>> shadows = List::of;
  private final java.util.Map<HostPort, ExecutorService> shadowLanes = new java.util.concurrent.ConcurrentHashMap<>();
  /** Issue 4: this master's epoch table (null: not tracked, batches carry no epochs, the probe compares sequences). */
  private volatile EpochTable epochs;
  /** Replicas that answered since the last failure: they get prevEpoch only, the others the whole table too. */
  private final java.util.Set<HostPort> matched = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public LogShipper(List<HostPort> replicas, Acks acks, LongSupplier epoch, RpcClients rpc, Path metaDir,
      long timeoutMillis) {
    this.replicas = List.copyOf(replicas);
    this.required = acks.required(replicas.size());
    this.epoch = epoch;
    this.rpc = rpc;
    this.metaDir = metaDir;
    this.timeoutMillis = timeoutMillis;
    for (HostPort replica : this.replicas) {
      lanes.add(Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "gfs-log-ship-" + replica);
        t.setDaemon(true);
        return t;
      }));
    }
  }

  /**
   * Issue 4: batches carry the epoch of the record before them (Raft's consistency check) and, until a replica answered,
   * this log's whole epoch table (a diverged replica finds the common point with it); the position probe compares
   * (last epoch, last sequence).
   */
  public void trackEpochs(EpochTable epochs) {
    this.epochs = epochs;
  }

  /** Where to find the shadows to feed (read each batch; the supplier caches). */
  public void feedShadows(java.util.function.Supplier<List<HostPort>> shadows) {
    this.shadows = shadows;
  }

  @Override
  public void replicate(long firstSequence, List<byte[]> frames) throws IOException {
    awaitReplicas(firstSequence, frames);
    for (HostPort shadow : shadows.get()) {
      ExecutorService lane = shadowLanes.computeIfAbsent(shadow, s -> Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "gfs-log-shadow-" + s);
        t.setDaemon(true);
        return t;
      }));
      try {
        lane.execute(() -> {
          try {
            ship(shadow, firstSequence, frames);
          } catch (Exception e) {
            LOG.debug("shadow {} missed records {}+: {}", shadow, firstSequence, e.toString());
          }
        });
      } catch (java.util.concurrent.RejectedExecutionException closing) {
        return;
      }
    }
  }

  private void awaitReplicas(long firstSequence, List<byte[]> frames) throws IOException {
    if (replicas.isEmpty()) {
      return;
    }
    long lastSequence = firstSequence + frames.size() - 1;
    AtomicInteger acked = new AtomicInteger();
    CompletableFuture<Void> enough = new CompletableFuture<>();
    List<String> failures = new ArrayList<>();
    AtomicInteger finished = new AtomicInteger();
    for (int i = 0; i < replicas.size(); i++) {
      HostPort replica = replicas.get(i);
      lanes.get(i).execute(() -> {
        try {
          ship(replica, firstSequence, frames);
          if (acked.incrementAndGet() >= required) {
            enough.complete(null);
          }
        } catch (Exception e) {
          synchronized (failures) {
            failures.add(replica + ": " + e.getMessage());
          }
          if (e instanceof GfsException g && g.getCode() == ErrorCode.STALE_EPOCH) {
            enough.completeExceptionally(new IOException("a newer master leads (" + e.getMessage() + ")"));
          }
        }
        if (finished.incrementAndGet() == replicas.size()) {
          enough.complete(null); // everyone answered: the count below decides
        }
      });
    }
    try {
      enough.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      // fall through to the count
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException("op log replication of " + firstSequence + ".." + lastSequence + " refused: "
          + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while replicating the op log");
    }
    if (acked.get() < required) {
      synchronized (failures) {
        throw new IOException("op log records " + firstSequence + ".." + lastSequence + " reached " + acked.get()
            + " of " + replicas.size() + " replicas within " + timeoutMillis + " ms, " + required + " required: "
            + failures);
      }
    }
  }

  /**
   * Ships one batch to one replica, catching it up first when its ack shows a gap. An unreachable replica is retried
   * until the batch's time is up (a standby restarting, or not up yet when the active master starts).
   */
  private void ship(HostPort replica, long firstSequence, List<byte[]> frames) throws Exception {
    long lastSequence = firstSequence + frames.size() - 1;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    LogAck ack;
    boolean resentWithTable = false;
    while (true) {
      try {
        ack = send(replica, firstSequence, frames);
        break;
      } catch (IOException unreachable) {
        if (System.nanoTime() > deadline) {
          throw unreachable;
        }
        Thread.sleep(UNREACHABLE_RETRY_MILLIS);
      } catch (GfsException refused) {
        // A replica that found its log diverged asks for the epoch table: the failure cleared matched, so resend once.
        if (refused.getCode() != ErrorCode.INTERNAL || epochs == null || resentWithTable) {
          throw refused;
        }
        resentWithTable = true;
      }
    }
    for (int round = 0; ack.getLastSequence() < lastSequence; round++) {
      long from = ack.getLastSequence() + 1;
      if (from >= firstSequence || round > 100_000) {
        throw new IOException("replica stays at sequence " + ack.getLastSequence() + " below " + lastSequence);
      }
      List<byte[]> missing = new ArrayList<>();
      long missingBytes = 0;
      for (LogEntry entry : LogTail.read(metaDir, from, CATCH_UP_RECORDS_MAX)) {
        if (entry.sequence() < firstSequence) {
          byte[] frame = RecordCodec.frame(entry);
          if (!missing.isEmpty() && missingBytes + frame.length > CATCH_UP_BYTES_MAX) {
            break; // the rest in the next round
          }
          missing.add(frame);
          missingBytes += frame.length;
        }
      }
      if (missing.isEmpty()) {
        throw new IOException("cannot find records from " + from + " in " + metaDir);
      }
      LOG.info("catching replica {} up from sequence {} ({} records)", replica, from, missing.size());
      send(replica, from, missing);
      ack = send(replica, firstSequence, frames);
    }
  }

  private LogAck send(HostPort replica, long firstSequence, List<byte[]> frames) throws Exception {
    List<ByteBuffer> buffers = new ArrayList<>(frames.size());
    frames.forEach(f -> buffers.add(ByteBuffer.wrap(f)));
    LogBatch batch = new LogBatch(epoch.getAsLong(), firstSequence, buffers);
    batch.setSentMillis(System.currentTimeMillis()); // shadows measure their lag against it
    EpochTable table = epochs;
    boolean withTable = table != null && !matched.contains(replica);
    if (table != null) {
      batch.setPrevEpoch(table.epochAt(firstSequence - 1));
      if (withTable) {
        List<io.gfs.thrift.gen.LogEpoch> starts = new ArrayList<>();
        table.starts().forEach(s -> starts.add(new io.gfs.thrift.gen.LogEpoch(s.epoch(), s.firstSequence())));
        batch.setEpochs(starts);
      }
    }
    try {
      LogAck ack = rpc.master(replica, c -> c.replicateLog(batch));
      if (withTable) {
        matched.add(replica);
      }
      return ack;
    } catch (org.apache.thrift.transport.TTransportException e) {
      matched.remove(replica);
      rpc.forget(replica);
      throw new IOException("replica unreachable: " + e.getMessage(), e);
    } catch (Exception e) {
      matched.remove(replica); // a replica that restarted or refused gets the table again
      throw e;
    }
  }

  /**
   * Before a newly elected master serves under the majority rule: asks every replica for the epoch and sequence of its
   * last record (an empty batch in the new epoch, which also fences the old master at each of them). A replica ahead of
   * this master - a later epoch for its last record, or the same epoch and a higher sequence (Raft's log-up-to-date
   * rule; the sequence alone is not enough: a master that crashed holding an unacknowledged record N+1 must not win
   * over a replica holding another master's acknowledged N+1) - may hold acknowledged records this one lacks:
   * IOException, and this master steps aside so that one can lead. Under the all rule every acknowledged record is on
   * every replica, so no replica can be ahead.
   */
  public void checkNoReplicaAhead(long ownLastSequence) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    int answered = probe(ownLastSequence);
    // At a cold start the other masters may not serve yet: give them the batch timeout before giving up.
    while (answered < required && System.nanoTime() < deadline) {
      try {
        Thread.sleep(UNREACHABLE_RETRY_MILLIS * 5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while probing the replicas");
      }
      answered = probe(ownLastSequence);
    }
    if (answered < required) {
      throw new IOException(answered + " of " + replicas.size() + " replicas answered the position probe, " + required
          + " required: this master cannot know it holds every acknowledged record");
    }
  }

  private int probe(long ownLastSequence) throws IOException {
    int answered = 0;
    for (HostPort replica : replicas) {
      try {
        LogAck ack = send(replica, ownLastSequence + 1, List.of());
        answered++;
        EpochTable table = epochs;
        long ownLastEpoch = table == null ? 0 : table.epochAt(ownLastSequence);
        long theirLastEpoch = ack.isSetLastEpoch() ? ack.getLastEpoch() : 0;
        if (isAhead(theirLastEpoch, ack.getLastSequence(), ownLastEpoch, ownLastSequence)) {
          throw new IOException("replica " + replica + " is at epoch " + theirLastEpoch + " sequence "
              + ack.getLastSequence() + ", ahead of this master's epoch " + ownLastEpoch + " sequence "
              + ownLastSequence + ": it must lead instead");
        }
      } catch (IOException e) {
        if (e.getMessage() != null && e.getMessage().contains("ahead of this")) {
          throw e;
        }
        LOG.warn("replica {} did not answer the position probe: {}", replica, e.getMessage());
      } catch (Exception e) {
        throw new IOException("position probe of " + replica + " failed: " + e.getMessage(), e);
      }
    }
    return answered;
  }

  /** Raft's log-up-to-date rule: (last epoch, last sequence) compared lexicographically. */
  static boolean isAhead(long theirLastEpoch, long theirLastSequence, long ownLastEpoch, long ownLastSequence) {
    return theirLastEpoch != ownLastEpoch ? theirLastEpoch > ownLastEpoch : theirLastSequence > ownLastSequence;
  }

  @Override
  public void close() {
    lanes.forEach(ExecutorService::shutdownNow);
    shadowLanes.values().forEach(ExecutorService::shutdownNow);
  }
}
