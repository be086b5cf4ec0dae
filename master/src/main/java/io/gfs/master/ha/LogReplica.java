package io.gfs.master.ha;

import io.gfs.common.Crc32c;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.master.oplog.LogEntry;
import io.gfs.master.oplog.RecordCodec;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.LogAck;
import io.gfs.thrift.gen.LogBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of op log replication (issue 4, [0121]) on a standby: verifies each shipped frame, refuses a
 * sender of a lower epoch than one already seen (fencing), logs and applies the records through the master's only
 * mutation path, and answers with its last durable sequence. Records it already holds are skipped; a gap stops the
 * batch there, and the ack's lower sequence tells the sender to catch it up from its segments.
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
    if (epoch > highestEpoch) {
      LOG.info("op log replica follows epoch {} (was {})", epoch, highestEpoch);
      highestEpoch = epoch;
    }
    long last = sink.lastSequence();
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
    return new LogAck(sink.lastSequence(), highestEpoch);
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
