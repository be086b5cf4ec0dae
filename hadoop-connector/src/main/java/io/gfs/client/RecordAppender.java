package io.gfs.client;

import io.gfs.client.MutationSender.AttemptFailedException;
import io.gfs.client.state.ChunkMath;
import io.gfs.client.state.Lease;
import io.gfs.common.Check;
import io.gfs.common.Crc32c;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.ThriftBinary;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.RecordAppendReply;
import io.gfs.thrift.gen.RecordAppendRequest;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.thrift.TApplicationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Atomic record append [0104-0111]: the client names only the data; the primary of the file's last chunk picks the
 * offset. The lease on the last chunk is cached per file. CHUNK_FULL means every replica padded the chunk [0107]: the
 * appender moves to the next chunk without pausing. Any other failure drops the lease, pauses and sends the record
 * again with a new data id, so a record may land more than once (at least once, as [0109] says).
 */
final class RecordAppender {
  private static final Logger LOG = LoggerFactory.getLogger(RecordAppender.class);

  /** Chunks one record may move past because they filled up under it (concurrent appenders fill chunks fast). */
  static final int CHUNK_FULL_MOVES_MAX = 1000;

  /**
   * Largest record sent with its request instead of pushed along the chain first ([0112]: the request and the data
   * may follow the same path): one push piece, what the chunkservers accept inline. A pushed 64 KiB record cost three
   * pushData calls in a row (client to the first replica, which forwards to the next, and so on) before the append
   * call; inline it rides the append call to the primary, which passes it on with its group's mutation to the
   * secondaries in parallel.
   */
  static final int INLINE_BYTES_MAX = GfsConfigKeys.DATA_PIECE_BYTES_MAX;

  private final ClientContext context;
  private final MutationSender sender;
  /** Primaries that answered appendRecord with UNKNOWN_METHOD (older chunkservers): they get recordAppend. */
  private final Set<HostPort> withoutAppendRecord = ConcurrentHashMap.newKeySet();

  RecordAppender(ClientContext context, MutationSender sender) {
    this.context = context;
    this.sender = sender;
  }

  /**
   * Where a record landed: chunk, handle and offset in the chunk; lengthReported when the primary already told the
   * master a chunk length covering it (issue 6), else the caller must.
   */
  record Appended(long chunkIndex, long handle, long offsetInChunk, long chunkSizeBytes, int lengthBytes,
      boolean lengthReported) {
    long fileOffset() {
      return ChunkMath.recordFileOffset(chunkIndex, chunkSizeBytes, offsetInChunk);
    }
  }

  Appended append(String path, byte[] record, int offset, int length) throws IOException {
    Check.argument(offset >= 0 && length >= 0 && length <= record.length - offset,
        "range [%s, +%s) outside a record buffer of %s", offset, length, record.length);
    if (length == 0) {
      throw new GfsClientException(ErrorCode.INVALID_ARGUMENT, path + ": an empty record cannot be appended");
    }
    int crc32c = Crc32c.of(record, offset, length);
    String what = String.format("%s: record append of %d bytes", path, length);
    List<String> failures = new ArrayList<>();
    long moveToChunk = -1;
    int chunkFullMoves = 0;
    for (int failedAttempts = 0; ; ) {
      Lease lease = null;
      try {
        lease = leaseFor(path, moveToChunk);
        checkSize(path, length, lease);
        long dataId = context.dataIds.getAsLong();
        RecordAppendRequest request = new RecordAppendRequest(lease.handle(), lease.version(), dataId, length,
            ClientContext.toThrift(lease.secondaries()), false, lease.chunkSizeBytes())
            .setAccessToken(ClientContext.token(lease.accessToken()));
        if (length <= INLINE_BYTES_MAX) {
          inline(request, record, offset, length, crc32c);
        } else {
          sender.push(lease, dataId, record, offset, length, crc32c);
        }
        RecordAppendReply reply = send(lease.primary(), request);
        return new Appended(lease.chunkIndex(), lease.handle(), reply.getOffsetInChunkBytes(),
            lease.chunkSizeBytes(), length, reply.isSetLengthReported() && reply.isLengthReported());
      } catch (AttemptFailedException e) {
        if (e.getCause() instanceof GfsException typed && typed.getCode() == ErrorCode.CHUNK_FULL) {
          if (++chunkFullMoves > CHUNK_FULL_MOVES_MAX) {
            throw new IOException(what + ": moved past " + CHUNK_FULL_MOVES_MAX + " full chunks without fitting");
          }
          reportPadded(path, lease);
          moveToChunk = lease.chunkIndex() + 1;
          continue;
        }
        failures.add(MutationSender.classify(e, what));
      } catch (GfsClientException e) {
        failures.add(MutationSender.classify(e, what));
      }
      if (lease != null) {
        context.leases.drop(path, lease.chunkIndex());
      }
      moveToChunk = -1;
      sender.pauseOrGiveUp(failedAttempts++, what, failures);
    }
  }

  /**
   * appendRecord, whose reply says whether the primary reported the chunk's length for the record's group (issue 6);
   * a primary that does not know it (an older chunkserver, UNKNOWN_METHOD: nothing was applied) gets recordAppend from
   * then on, and its reply leaves the report to the caller.
   */
  private RecordAppendReply send(HostPort primary, RecordAppendRequest request) throws AttemptFailedException {
    if (!withoutAppendRecord.contains(primary)) {
      try {
        return sender.call(primary, c -> c.appendRecord(request));
      } catch (AttemptFailedException e) {
        boolean unknown = e.getCause() instanceof TApplicationException t
            && t.getType() == TApplicationException.UNKNOWN_METHOD;
        if (!unknown) {
          throw e;
        }
        withoutAppendRecord.add(primary);
      }
    }
    long offsetInChunkBytes = sender.call(primary, c -> c.recordAppend(request));
    return new RecordAppendReply(offsetInChunkBytes);
  }

  /** The record as the request's data, shared, not copied (the generated setter would copy it). */
  private static void inline(RecordAppendRequest request, byte[] record, int offset, int length, int crc32c) {
    ByteBuffer data = ByteBuffer.wrap(record, offset, length);
    if (!ThriftBinary.set(request, "data", data)) {
      request.setData(data);
    }
    request.setCrc32c(crc32c);
  }

  private Lease leaseFor(String path, long moveToChunk) throws IOException {
    if (moveToChunk < 0) {
      Lease cached = context.leases.lastChunk(path, context.nowMillis()).orElse(null);
      if (cached != null) {
        return cached;
      }
    }
    Lease lease = context.acquireLease(path, moveToChunk);
    context.leases.putLastChunk(path, lease);
    return lease;
  }

  private static void checkSize(String path, int length, Lease lease) throws GfsClientException {
    long max = ChunkMath.recordSizeBytesMax(lease.chunkSizeBytes());
    if (length > max) {
      throw new GfsClientException(ErrorCode.RECORD_TOO_LARGE, String.format(
          "%s: a record of %d bytes exceeds the limit of %d (a quarter of the %d-byte chunk)", path, length, max,
          lease.chunkSizeBytes()));
    }
  }

  /** The padded chunk is full now: tell the master at once so the file's length covers it [0107]. */
  private void reportPadded(String path, Lease lease) throws InterruptedIOException {
    try {
      context.reportChunkLength(path, lease.chunkIndex(), lease.handle(), lease.chunkSizeBytes());
    } catch (InterruptedIOException e) {
      throw e;
    } catch (IOException e) {
      // Only a hint: the replicas' heartbeats report the padded length too.
      LOG.debug("{}: could not report padded chunk {}: {}", path, lease.chunkIndex(), e.getMessage());
    }
  }
}
