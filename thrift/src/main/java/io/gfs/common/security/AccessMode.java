package io.gfs.common.security;

/**
 * What a chunk access token allows on its chunks. READ: read and getChunkChecksum. WRITE: pushData, write,
 * recordAppend and applyMutation (and reading, which a writer's retries need). MASTER: the master's orders
 * (assignVersion, copyChunkFrom, copyChunkLocal) and the reads a clone makes; the master never gives it to a client.
 */
public enum AccessMode {
  READ(1),
  WRITE(2),
  MASTER(4);

  private final int bit;

  AccessMode(int bit) {
    this.bit = bit;
  }

  public int bit() {
    return bit;
  }

  /** Whether a token carrying modeBits allows this mode: WRITE and MASTER imply READ, MASTER implies WRITE. */
  public boolean allowedBy(int modeBits) {
    return switch (this) {
      case READ -> (modeBits & (READ.bit | WRITE.bit | MASTER.bit)) != 0;
      case WRITE -> (modeBits & (WRITE.bit | MASTER.bit)) != 0;
      case MASTER -> (modeBits & MASTER.bit) != 0;
    };
  }
}
