package io.gfs.chunkserver.state;

/** What a secondary does with a mutation the primary ordered [0102]. */
public enum SerialCheck {
  /** The serial number is newer than the last one applied: apply it. */
  APPLY,
  /** The serial number was applied already (a retried call): answer OK without writing again. */
  ALREADY_APPLIED,
}
