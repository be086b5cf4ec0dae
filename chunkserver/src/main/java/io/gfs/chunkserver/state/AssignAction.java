package io.gfs.chunkserver.state;

/** What the store must do before the chunkserver can accept a version the master assigns. */
public enum AssignAction {
  /** The chunk is new: create its empty files at the version. */
  CREATE,
  /** The chunk exists at an older version: persist the new one. */
  SET_VERSION,
  /** The chunk is already at this version (a repeated assignment): nothing to persist. */
  UNCHANGED,
}
