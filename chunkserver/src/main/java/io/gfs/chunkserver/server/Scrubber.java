package io.gfs.chunkserver.server;

import io.gfs.chunkserver.state.ChunkServerState;
import io.gfs.chunkserver.state.ScrubSchedule;
import io.gfs.chunkserver.state.Throttle;
import io.gfs.chunkserver.store.ChecksumMismatchException;
import io.gfs.chunkserver.store.ChunkStore;
import io.gfs.chunkserver.store.NoSuchChunkException;
import io.gfs.common.Check;
import io.gfs.common.GfsConfigKeys;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies idle chunks in the background, so corruption in chunks nobody reads is found before it fools the master
 * into counting a bad replica as good [0131]. {@link ScrubSchedule} picks the chunk; this reads it piece by piece at
 * the throttled rate, each piece through the store's checksum check under the chunk's read lock only for that piece.
 * A mismatch marks the replica corrupt, which the next heartbeat reports, exactly as a failed read does [0127].
 */
final class Scrubber implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Scrubber.class);
  /** Bytes verified per store call: one data piece, aligned to checksum blocks. */
  static final int PIECE_BYTES = GfsConfigKeys.DATA_PIECE_BYTES_MAX;
  /** Longest wait between looks at the schedule, so new and newly idle chunks are noticed soon. */
  static final long POLL_MILLIS_MAX = 1000;

  private final ChunkServerState state;
  private final ChunkStore store;
  private final ScrubSchedule schedule;
  private final Throttle throttle;
  private final LongSupplier clock;
  private final Sleeper sleeper;
  /** The one buffer every piece is read into and verified in (was a fresh 1 MiB array per piece: 3 GB per bench run). */
  private final byte[] scratch = new byte[PIECE_BYTES];
  private final AtomicLong chunksVerified = new AtomicLong();
  private final AtomicLong bytesVerified = new AtomicLong();
  private final AtomicLong corruptFound = new AtomicLong();
  private volatile boolean stopped;

  Scrubber(ChunkServerState state, ChunkStore store, ScrubSchedule schedule, Throttle throttle, LongSupplier clock,
      Sleeper sleeper) {
    Check.state(PIECE_BYTES % GfsConfigKeys.CHECKSUM_BLOCK_BYTES == 0, "piece %s not a multiple of the block",
        PIECE_BYTES);
    this.state = state;
    this.store = store;
    this.schedule = schedule;
    this.throttle = throttle;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  @Override
  public void run() {
    LOG.info("scrubber verifies idle chunks at up to {} bytes/s", throttle.bytesPerSecond());
    while (!stopped) {
      try {
        step();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.error("scrubber step failed; going on", e);
        try {
          sleeper.sleep(POLL_MILLIS_MAX);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  /** Verifies the next due chunk, or waits (at most {@link #POLL_MILLIS_MAX}) for one to become due. */
  void step() throws InterruptedException {
    ScrubSchedule.Step step = schedule.next(state.scrubCandidates(), clock.getAsLong());
    if (!step.scrub()) {
      sleeper.sleep(Math.min(step.waitMillis(), POLL_MILLIS_MAX));
      return;
    }
    verify(step.handle());
    schedule.verified(step.handle(), clock.getAsLong());
  }

  private void verify(long handle) throws InterruptedException {
    try {
      long lengthBytes = store.lengthBytes(handle);
      // A chunk costs at least one piece of the budget: picking it scanned every chunk held, so a disk of small or
      // empty chunks would otherwise spin the scrubber through back-to-back scans (the top chunkserver CPU consumer in
      // the benchmark's JFR profile, after thousands of small files).
      if (lengthBytes < PIECE_BYTES) {
        long waitMillis = throttle.acquire(PIECE_BYTES - lengthBytes, clock.getAsLong());
        if (waitMillis > 0) {
          sleeper.sleep(waitMillis);
        }
      }
      for (long offset = 0; offset < lengthBytes && !stopped; offset += PIECE_BYTES) {
        int piece = (int) Math.min(PIECE_BYTES, lengthBytes - offset);
        long waitMillis = throttle.acquire(piece, clock.getAsLong());
        if (waitMillis > 0) {
          sleeper.sleep(waitMillis);
        }
        store.verify(handle, offset, piece, scratch); // offsets are piece-aligned, so the blocks fit the scratch
        bytesVerified.addAndGet(piece);
      }
      chunksVerified.incrementAndGet();
    } catch (ChecksumMismatchException e) {
      LOG.warn("scrubber: chunk {} failed verification, reporting it corrupt: {}", handle, e.getMessage());
      corruptFound.incrementAndGet();
      state.markCorrupt(handle);
    } catch (NoSuchChunkException e) {
      LOG.debug("scrubber: chunk {} was deleted while being verified", handle);
    } catch (IOException e) {
      // Not proof of bad bytes (a descriptor shortage looks the same); a real disk fault fails the reads as well.
      LOG.warn("scrubber: cannot verify chunk {}: {}", handle, e.toString());
    }
  }

  void stop() {
    stopped = true;
  }

  long chunksVerified() {
    return chunksVerified.get();
  }

  long bytesVerified() {
    return bytesVerified.get();
  }

  long corruptFound() {
    return corruptFound.get();
  }
}
