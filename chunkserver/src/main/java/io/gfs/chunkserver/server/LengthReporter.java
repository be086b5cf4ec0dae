package io.gfs.chunkserver.server;

/**
 * Where a primary tells the master its chunk's new length after a group of record appends, before the group's replies
 * (issue 6): one master call per group instead of one per record from each appender, and a reader that opens the file
 * after an append returned still sees the record.
 */
interface LengthReporter {
  /** Reports nothing: every appender reports its own record's length (tests, and what older primaries did). */
  LengthReporter NONE = (handle, version, lengthBytes) -> false;

  /**
   * True once the master knows the chunk is at least lengthBytes long; false when it may not (unreachable, refused, an
   * older master), and then each appender reports its own record. Never throws.
   */
  boolean report(long handle, long version, long lengthBytes);
}
