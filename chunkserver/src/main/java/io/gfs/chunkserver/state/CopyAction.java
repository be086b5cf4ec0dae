package io.gfs.chunkserver.state;

/** What a copy into a chunk handle (a clone or a local copy) does given the replica already held, if any. */
public enum CopyAction {
  /** No usable replica at that version here: build one (replacing a stale or corrupt one). */
  COPY,
  /** A good replica at exactly that version is here already: a retried copy succeeds without copying again. */
  ALREADY_HERE,
}
