package io.gfs.mapreduce;

/** What the record-append reader returned and passed over, as job counters. */
public enum RecordAppendCounter {
  /** Records returned. */
  RECORDS,
  /** Bytes of the split outside returned frames: padding, torn pieces, duplicates, uncommitted attempts' records. */
  SKIPPED_BYTES,
  /** Scanning mode: valid frames whose id this split had already returned. */
  DUPLICATES,
  /** Scanning mode: places that began with the magic but failed the length or CRC check (torn or partial records). */
  DAMAGED_FRAMES
}
