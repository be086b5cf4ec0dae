package io.gfs.master.ha;

import io.gfs.common.Check;
import io.gfs.common.Crc32c;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.master.oplog.EpochTable;
import io.gfs.master.oplog.LogEntry;
import io.gfs.master.oplog.RecordCodec;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.LogAck;
import io.gfs.thrift.gen.LogBatch;
import io.gfs.thrift.gen.LogEpoch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of op log replication (issue 4, [0121]) on a standby: verifies each shipped frame, refuses a
 * sender of a lower epoch than one already seen (fencing), logs and applies the records through the master's only
 * mutation path, and answers with its last durable sequence and that record's epoch. Records it already holds are
 * skipped; a gap stops the batch there, and the ack's lower sequence tells the sender to catch it up from its segments.
 * Before appending it checks that its log and the sender's agree up to the batch (the epoch of the record before it,
 * or the sender's whole epoch table: Raft's consistency check); a divergent suffix is cut only when the sender is more
 * up to date (see cutDivergentSuffix), otherwise refused.
 *
 * <p>Once its own master is elected, {@link #becomeActive} refuses every batch at or below its own epoch: a deposed
 * master can no longer change this log.
 */
public final class LogReplica {
  private static final Logger LOG = LoggerFactory.getLogger(LogReplica.class);

  /** Where accepted records go: the standby's journal. */
  public interface Sink {
    long lastSequence();

    /** Logs (one fsync) and applies the entries; each must land at its own sequence. */
    void commit(List<LogEntry> entries) throws IOException;

    /** The entries this replica logged from {@code fromSequence} on (at most max), to compare overlaps with. */
    List<LogEntry> logged(long fromSequence, int max) throws IOException;

    /** This log's epoch table (issue 4): which term wrote each position. Empty: every position is epoch 0. */
    default List<EpochTable.Start> epochs() {
      return List.of();
    }

    /**
     * Cuts this log back to lastKeptSequence and rebuilds the state from what remains, as a restart would (or closes
     * the master so that a restart does). Called only for a suffix the active master's log proves unacknowledged.
     */
    default void truncateAfter(long lastKeptSequence) throws IOException {
      throw new IOException("this replica cannot cut its log back");
    }
  }

  private final Sink sink;
  private long highestEpoch;
  private long ownEpoch;
  private volatile long lastBatchMillis;
  private volatile long lagMillis = -1;

  public LogReplica(Sink sink) {
    this.sink = sink;
  }

  public synchronized LogAck accept(LogBatch batch, long nowMillis) throws GfsException, IOException {
    if (batch == null || !batch.isSetFrames() || batch.getFirstSequence() <= 0) {
      throw RpcErrors.error(ErrorCode.INVALID_ARGUMENT, "replicateLog: a batch needs frames and a positive sequence");
    }
    long epoch = batch.getEpoch();
    if (epoch < highestEpoch || epoch <= ownEpoch) {
      throw RpcErrors.error(ErrorCode.STALE_EPOCH, "replicateLog from epoch %s refused: epoch %s is current", epoch,
          Math.max(highestEpoch, ownEpoch));
    }
    long last = sink.lastSequence();
    List<EpochTable.Start> mine = sink.epochs();
    long lastEpoch = EpochTable.epochAt(mine, last);
    if (epoch < lastEpoch) { // survives a restart, unlike highestEpoch: this log already holds a newer term's records
      throw RpcErrors.error(ErrorCode.STALE_EPOCH, "replicateLog from epoch %s refused: this log holds records of "
          + "epoch %s", epoch, lastEpoch);
    }
    if (epoch > highestEpoch) {
      LOG.info("op log replica follows epoch {} (was {})", epoch, highestEpoch);
      highestEpoch = epoch;
    }
    if (divergedAt(batch, mine, last) > 0) {
      last = cutDivergentSuffix(batch, mine, last);
    }
    long sequence = batch.getFirstSequence();
    checkOverlapMatches(batch, last);
    List<LogEntry> accepted = new ArrayList<>();
    for (ByteBuffer frame : batch.getFrames()) {
      if (sequence > last + 1 + accepted.size()) {
        break; // a gap: the ack below asks for what is missing
      }
      if (sequence > last) {
        LogEntry entry = decode(frame);
        if (entry.sequence() != sequence) {
          throw RpcErrors.error(ErrorCode.INVALID_ARGUMENT, "replicateLog: frame %s carries sequence %s",
              sequence, entry.sequence());
        }
        accepted.add(entry);
      }
      sequence++;
    }
    if (!accepted.isEmpty()) {
      sink.commit(accepted);
    }
    lastBatchMillis = nowMillis;
    if (batch.isSetSentMillis()) {
      lagMillis = Math.max(0, nowMillis - batch.getSentMillis());
    }
    long lastNow = sink.lastSequence();
    LogAck ack = new LogAck(lastNow, highestEpoch);
    ack.setLastEpoch(EpochTable.epochAt(sink.epochs(), lastNow));
    return ack;
  }

  /**
   * Raft's consistency check: the first position where this log provably differs from the sender's, or 0. The sender's
   * table (when it sent one) decides for every position both hold; otherwise the epoch of the record just before the
   * batch (prevEpoch) does.
   */
  private long divergedAt(LogBatch batch, List<EpochTable.Start> mine, long last) throws GfsException {
    long upTo = Math.min(last, batch.getFirstSequence() - 1 + batch.getFrames().size());
    if (batch.isSetEpochs()) {
      long common = EpochTable.commonPoint(mine, starts(batch), upTo);
      return common < upTo ? common + 1 : 0;
    }
    long prev = batch.getFirstSequence() - 1;
    if (batch.isSetPrevEpoch() && prev >= 1 && prev <= last && EpochTable.epochAt(mine, prev) != batch.getPrevEpoch()) {
      return prev;
    }
    return 0;
  }

  /**
   * This log holds records after the last point it shares with the active master's: records of a former active master
   * that crashed after its own fsync, before the replicas the rule requires had them. Such records were never
   * acknowledged IF the sender is more up to date than this log - a higher epoch for its last record (Raft's election
   * rule: the sender was elected with a majority none of which held a later record, and every acknowledged record was
   * on a majority; see docs/reliability.md). Then the suffix is cut and the sender's records taken; otherwise, or
   * without the sender's table to find the common point, the batch is refused and nothing is cut.
   */
  private long cutDivergentSuffix(LogBatch batch, List<EpochTable.Start> mine, long last)
      throws GfsException, IOException {
    if (!batch.isSetEpochs()) {
      throw RpcErrors.error(ErrorCode.INTERNAL, "replica's op log diverged before sequence %s (epoch %s here, %s at "
          + "the sender); send the epoch table", batch.getFirstSequence(),
          EpochTable.epochAt(mine, batch.getFirstSequence() - 1), batch.getPrevEpoch());
    }
    List<EpochTable.Start> theirs = starts(batch);
    long theirLastEpoch = theirs.isEmpty() ? 0 : theirs.get(theirs.size() - 1).epoch();
    long myLastEpoch = EpochTable.epochAt(mine, last);
    long upTo = Math.min(last, batch.getFirstSequence() - 1 + batch.getFrames().size());
    long common = EpochTable.commonPoint(mine, theirs, upTo);
    if (theirLastEpoch <= myLastEpoch && batch.getFrames().isEmpty()) {
      return last; // a position probe: the answer (this log's last epoch and sequence) tells the prober to step aside
    }
    if (theirLastEpoch <= myLastEpoch) {
      LOG.error("op log diverged after sequence {} from the sender's (epoch {}), whose last epoch {} is not above "
          + "this log's {}: nothing is cut; re-seed this replica", common, batch.getEpoch(), theirLastEpoch, myLastEpoch);
      throw RpcErrors.error(ErrorCode.INTERNAL, "replica's op log diverged after sequence %s and the sender is not "
          + "more up to date (last epoch %s, here %s); re-seed it", common, theirLastEpoch, myLastEpoch);
    }
    LOG.warn("op log diverged after sequence {}: records {}..{} (last epoch {}) are not in the log of the master of "
        + "epoch {} (last epoch {}), so were never acknowledged; cutting them and taking the active master's",
        common, common + 1, last, myLastEpoch, batch.getEpoch(), theirLastEpoch);
    sink.truncateAfter(common);
    long now = sink.lastSequence();
    Check.state(now == common, "the log was cut back to %s, not %s", now, common);
    return now;
  }

  private static List<EpochTable.Start> starts(LogBatch batch) throws GfsException {
    List<EpochTable.Start> starts = new ArrayList<>(batch.getEpochs().size());
    for (LogEpoch e : batch.getEpochs()) {
      if (e == null || e.getEpoch() <= 0 || e.getFirstSequence() <= 0
          || (!starts.isEmpty() && (e.getEpoch() <= starts.get(starts.size() - 1).epoch()
              || e.getFirstSequence() <= starts.get(starts.size() - 1).firstSequence()))) {
        throw RpcErrors.error(ErrorCode.INVALID_ARGUMENT, "replicateLog: bad epoch table entry %s", e);
      }
      starts.add(new EpochTable.Start(e.getEpoch(), e.getFirstSequence()));
    }
    return starts;
  }

  /**
   * Records the sender ships again that this replica already holds must be the same bytes. They differ only when this
   * log holds records the active master never had (a former active master that crashed between its own fsync and
   * replication): applying on top would diverge silently, so the replica refuses and must be re-seeded.
   */
  private void checkOverlapMatches(LogBatch batch, long last) throws GfsException, IOException {
    long first = batch.getFirstSequence();
    int overlap = (int) Math.min(batch.getFrames().size(), Math.max(0, last - first + 1));
    if (overlap == 0) {
      return;
    }
    List<LogEntry> mine = sink.logged(first, overlap);
    for (int i = 0; i < overlap && i < mine.size(); i++) {
      ByteBuffer shipped = batch.getFrames().get(i).duplicate();
      if (!shipped.equals(ByteBuffer.wrap(RecordCodec.frame(mine.get(i))))) {
        LOG.error("op log diverged at sequence {}: this replica holds a different record than the active master "
            + "(epoch {}); re-seed it from an up-to-date meta directory", first + i, batch.getEpoch());
        throw RpcErrors.error(ErrorCode.INTERNAL, "replica's op log diverged at sequence %s; re-seed it", first + i);
      }
    }
  }

  private static LogEntry decode(ByteBuffer frame) throws GfsException {
    ByteBuffer b = frame.duplicate();
    if (b.remaining() < RecordCodec.HEADER_BYTES) {
      throw RpcErrors.error(ErrorCode.INVALID_ARGUMENT, "replicateLog: frame of %s bytes", b.remaining());
    }
    int length = b.getInt();
    int crc = b.getInt();
    if (length <= 0 || length > RecordCodec.PAYLOAD_BYTES_MAX || length != b.remaining()) {
      throw RpcErrors.error(ErrorCode.INVALID_ARGUMENT, "replicateLog: frame length %s, %s bytes follow", length,
          b.remaining());
    }
    byte[] payload = new byte[length];
    b.get(payload);
    if (Crc32c.of(payload, 0, length) != crc) {
      throw RpcErrors.error(ErrorCode.CHECKSUM_MISMATCH, "replicateLog: frame fails its CRC32C");
    }
    try {
      return RecordCodec.decode(payload);
    } catch (IOException e) {
      throw RpcErrors.error(ErrorCode.INVALID_ARGUMENT, "replicateLog: %s", e.getMessage());
    }
  }

  /** This master now leads in ownEpoch: no batch at or below it is accepted any more. */
  public synchronized void becomeActive(long ownEpoch) {
    this.ownEpoch = ownEpoch;
  }

  public synchronized long highestEpoch() {
    return Math.max(highestEpoch, ownEpoch);
  }

  /** Milliseconds between the active master shipping the last batch and its arrival here; -1 before any. */
  public long lagMillis() {
    return lagMillis;
  }

  /** When the last batch arrived (0 if none): a standby's or shadow's lag is now minus this. */
  public long lastBatchMillis() {
    return lastBatchMillis;
  }
}
