package io.gfs.chunkserver.server;

import io.gfs.common.rpc.RpcErrors;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fencing of deposed masters (issue 4): every master instruction carries the sender's term (epoch), and this server
 * obeys none from a term lower than the highest it has seen. The highest epoch is persisted (temp file, fsync, rename)
 * BEFORE the instruction that raised it is carried out, so a restart cannot lower it and let a paused old master back
 * in. Epoch 0 means "a master without election": it is admitted only while no election epoch was ever seen.
 */
final class EpochFence {
  private static final Logger LOG = LoggerFactory.getLogger(EpochFence.class);
  static final String FILE_NAME = "master-epoch";

  /** Null for an in-memory store (tests): the epoch then lives as long as the process. */
  private final Path file;
  private long highestEpoch;

  private EpochFence(Path file, long highestEpoch) {
    this.file = file;
    this.highestEpoch = highestEpoch;
  }

  static EpochFence inMemory() {
    return new EpochFence(null, 0);
  }

  /** The fence persisted in {@code dir}, starting at 0 when the file is absent. */
  static EpochFence open(Path dir) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    long epoch = 0;
    if (Files.exists(file)) {
      String text = Files.readString(file, StandardCharsets.UTF_8).trim();
      try {
        epoch = Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new IOException(file + " holds '" + text + "', not a master epoch; fix it (never lower it)", e);
      }
    }
    return new EpochFence(file, epoch);
  }

  /**
   * Admits an instruction from a master of {@code epoch}, raising (and persisting) the highest epoch seen; STALE_EPOCH
   * when a newer master was already obeyed. Synchronized so that no instruction from an older term passes while a newer
   * one is being persisted.
   */
  synchronized void admit(long epoch, String what) throws GfsException, IOException {
    if (epoch < highestEpoch) {
      LOG.warn("refused {} from a master of epoch {}: epoch {} is current", what, epoch, highestEpoch);
      throw RpcErrors.error(ErrorCode.STALE_EPOCH, "%s refused: sent by a master of epoch %s, but a master of epoch %s"
          + " is active", what, epoch, highestEpoch);
    }
    if (epoch > highestEpoch) {
      persist(epoch);
      LOG.info("master epoch {} is now current (was {})", epoch, highestEpoch);
      highestEpoch = epoch;
    }
  }

  /** Whether an instruction of {@code epoch} would be admitted, raising the epoch like {@link #admit}. */
  synchronized boolean tryAdmit(long epoch, String what) {
    try {
      admit(epoch, what);
      return true;
    } catch (GfsException e) {
      return false;
    } catch (IOException e) {
      LOG.warn("cannot persist master epoch {}: {}; ignoring {}", epoch, e.toString(), what);
      return false;
    }
  }

  synchronized long highestEpoch() {
    return highestEpoch;
  }

  private void persist(long epoch) throws IOException {
    if (file == null) {
      return;
    }
    Path temp = file.resolveSibling(FILE_NAME + ".tmp");
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer bytes = ByteBuffer.wrap((epoch + "\n").getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
    }
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
