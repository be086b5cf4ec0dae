package io.gfs.chunkserver.store;

import io.gfs.common.Crc32c;
import java.io.IOException;
import java.util.Arrays;

/**
 * What a load makes of a chunk whose files disagree after a crash. A mutation writes the chunk file first, then the
 * CRCs of the blocks it changed, then (if the chunk grew) the checksummed length in the meta header. A crash between
 * those steps leaves the chunk file longer than the checksummed length:
 * <ul>
 *   <li>the CRCs were not written (or only those of whole new blocks): the bytes past the checksummed length are cut
 *       off, and the chunk is as it was before the mutation;
 *   <li>the CRCs were written but not the length: if every block from the old end to the file's end verifies against
 *       them, the mutation reached disk whole and the length rolls forward to keep it;
 *   <li>anything else (the old last block's CRC was overwritten but the new bytes do not verify): the replica is
 *       corrupt, reported as such, and the master re-replicates it [0127].
 * </ul>
 *
 * <p>Why cutting the tail never loses an acknowledged byte: a chunkserver acknowledges a mutation (replies to the
 * primary or the client) only after the mutation's CRCs and checksummed length were written, and with sync=true only
 * after data and meta were forced to disk. After a process crash the page cache still holds every write made before
 * it, so the recorded length covers every acknowledged byte; after a power failure the same holds for every synced
 * byte, which is all that sync promises. So the bytes past the recorded length belong to a mutation that was never
 * acknowledged, which the client retries [0103]. An overwrite inside the chunk torn the same way is not repairable
 * from the files alone (its old bytes are gone and its CRCs are old); it shows as a checksum mismatch on the next read
 * or scrub, and the master replaces the replica.
 */
final class TornTailRecovery {
  /** What the load does to the files before trusting them. */
  enum Action {
    NONE,
    /** Cut the chunk file to {@link Verdict#lengthBytes()}. */
    TRUNCATE,
    /** Record {@link Verdict#lengthBytes()} as the checksummed length. */
    ROLL_FORWARD,
  }

  /** The chunk as it will be used, or why it cannot be. */
  record Verdict(long lengthBytes, int[] crcs, Action action, String corruptReason) {
    static Verdict corrupt(String reason) {
      return new Verdict(0, new int[0], Action.NONE, reason);
    }

    boolean corrupt() {
      return corruptReason != null;
    }
  }

  private TornTailRecovery() {}

  /** Examines one chunk: its meta, the chunk file's length and its bytes. */
  static Verdict examine(ChunkMetaFormat.Meta meta, long fileLengthBytes, BlockChecksums.Bytes file)
      throws IOException {
    int[] crcs = meta.crcs();
    if (meta.lengthBytes() < 0) {
      // Format 1 recorded no length: the file's length it is, and the CRCs must cover exactly that.
      if (crcs.length != BlockChecksums.blockCount(fileLengthBytes)) {
        return Verdict.corrupt("meta has " + crcs.length + " CRCs, the chunk file's " + fileLengthBytes
            + " bytes need " + BlockChecksums.blockCount(fileLengthBytes));
      }
      return new Verdict(fileLengthBytes, crcs, Action.NONE, null);
    }
    long recorded = meta.lengthBytes();
    if (crcs.length < BlockChecksums.blockCount(recorded)) {
      return Verdict.corrupt("meta has " + crcs.length + " CRCs, its checksummed length " + recorded + " needs "
          + BlockChecksums.blockCount(recorded));
    }
    if (fileLengthBytes == recorded) {
      return new Verdict(recorded, prefix(crcs, recorded), Action.NONE, null);
    }
    if (fileLengthBytes < recorded) {
      return Verdict.corrupt("the chunk file has " + fileLengthBytes + " bytes, " + (recorded - fileLengthBytes)
          + " fewer than its CRCs vouch for");
    }
    int boundary = (int) (recorded / BlockChecksums.BLOCK_BYTES);
    if (recorded % BlockChecksums.BLOCK_BYTES == 0 || verifies(file, crcs, boundary, recorded)) {
      return new Verdict(recorded, prefix(crcs, recorded), Action.TRUNCATE, null);
    }
    int blocks = BlockChecksums.blockCount(fileLengthBytes);
    if (crcs.length >= blocks) {
      boolean whole = true;
      for (int block = boundary; block < blocks && whole; block++) {
        whole = verifies(file, crcs, block, fileLengthBytes);
      }
      if (whole) {
        return new Verdict(fileLengthBytes, prefix(crcs, fileLengthBytes), Action.ROLL_FORWARD, null);
      }
    }
    return Verdict.corrupt("a crash left " + (fileLengthBytes - recorded) + " bytes past the checksummed length "
        + recorded + ", and block " + boundary + " matches neither length");
  }

  /** Does {@code block}, cut at {@code endBytes}, match its recorded CRC? */
  private static boolean verifies(BlockChecksums.Bytes file, int[] crcs, int block, long endBytes)
      throws IOException {
    long start = (long) block * BlockChecksums.BLOCK_BYTES;
    int length = (int) Math.min(BlockChecksums.BLOCK_BYTES, endBytes - start);
    byte[] bytes = new byte[length];
    file.read(start, bytes, 0, length);
    return Crc32c.of(bytes, 0, length) == crcs[block];
  }

  private static int[] prefix(int[] crcs, long lengthBytes) {
    return Arrays.copyOf(crcs, BlockChecksums.blockCount(lengthBytes));
  }
}
