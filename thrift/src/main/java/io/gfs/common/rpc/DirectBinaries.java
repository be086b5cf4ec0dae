package io.gfs.common.rpc;

import io.gfs.common.Check;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Whether the reply a handler is making on this thread may carry a binary field in a direct buffer. The RPC server's
 * reply protocol takes one (and sends a big one to a plain-TCP socket without copying it, {@link ReplyBuffer}), but
 * libthrift's own protocols ask a binary for its array, so a handler run any other way (a test's processor, a fuzzer)
 * must hand out heap bytes. A handler asks {@link #acceptedOnThisThread()} while it makes its reply.
 *
 * <p>Such a handler borrows the direct buffer for its reply with {@link #lend}: it stays the call's until the server
 * has written the reply (or given it up), and then goes back to be lent to the next call, the most recently returned
 * first. A buffer per worker thread (a ThreadLocal) meant one per worker that ever served a read, each allocated and
 * zeroed on the thread's first read - during a benchmark's measured read, since the pool hands calls to its workers in
 * turn - and, with workers taking calls in turn, a sequential reader's pieces went through every worker's buffer, each
 * cold in the CPU's caches when the chunk file was read into it. Lent buffers are as many as the calls served at once,
 * and the one just returned, still warm, serves the next call.
 */
public final class DirectBinaries {
  private static final ThreadLocal<boolean[]> ACCEPTED = ThreadLocal.withInitial(() -> new boolean[1]);
  /** Every lent buffer's capacity: a whole data piece and a checksum block at each end (an unaligned piece's span). */
  public static final int LENT_BYTES = (int) (io.gfs.common.GfsConfigKeys.DATA_PIECE_BYTES_MAX
      + 2 * io.gfs.common.GfsConfigKeys.CHECKSUM_BLOCK_BYTES);
  /** Buffers not lent now, the most recently returned first. Never more than the calls ever served at once. */
  private static final ConcurrentLinkedDeque<ByteBuffer> SPARE = new ConcurrentLinkedDeque<>();
  /** The buffer this thread's current call borrowed, or null. */
  private static final ThreadLocal<ByteBuffer[]> LENT = ThreadLocal.withInitial(() -> new ByteBuffer[1]);
  private static final LongAdder CREATED = new LongAdder();
  private static final LongAdder LENDS = new LongAdder();
  private static final AtomicInteger LENT_NOW = new AtomicInteger();

  private DirectBinaries() {}

  /** True while this thread runs a call whose reply is written by the RPC server's protocol. */
  public static boolean acceptedOnThisThread() {
    return ACCEPTED.get()[0];
  }

  /**
   * A direct buffer of {@link #LENT_BYTES}, cleared, for this call's reply; only while {@link #acceptedOnThisThread()}
   * and at most one per call. The caller may put it (or a slice) in its reply and must not keep it after the call:
   * the server takes it back once the reply is written, and the next call may fill it.
   */
  public static ByteBuffer lend() {
    Check.state(acceptedOnThisThread(), "a direct buffer is lent only to a call the RPC server runs");
    ByteBuffer[] lent = LENT.get();
    Check.state(lent[0] == null, "this call borrowed a direct buffer already");
    ByteBuffer buffer = SPARE.pollFirst();
    if (buffer == null) {
      buffer = ByteBuffer.allocateDirect(LENT_BYTES);
      CREATED.increment();
    }
    lent[0] = buffer;
    LENT_NOW.incrementAndGet();
    LENDS.increment();
    return buffer.clear();
  }

  /** Direct buffers made for lending since the JVM started (they are kept and lent again); for tests. */
  public static long lentBuffersCreated() {
    return CREATED.sum();
  }

  /** Buffers lent since the JVM started, one per call that borrowed one; for tests. */
  public static long lends() {
    return LENDS.sum();
  }

  /** Buffers lent to calls that are not over yet; for tests. */
  public static int buffersLentNow() {
    return LENT_NOW.get();
  }

  /** Set by the server around each call's handler. */
  static void acceptOnThisThread(boolean accepted) {
    ACCEPTED.get()[0] = accepted;
  }

  /** Called by the server once this thread's call is over and its reply written or given up: the buffer goes back. */
  static void takeBackLent() {
    ByteBuffer[] lent = LENT.get();
    ByteBuffer buffer = lent[0];
    if (buffer != null) {
      lent[0] = null;
      SPARE.offerFirst(buffer);
      LENT_NOW.decrementAndGet();
    }
  }
}
