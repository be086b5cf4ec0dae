package io.gfs.master.state;

/**
 * A chunk's replicas: sorted server ids and their states, parallel arrays that are never written to once built. Chunks
 * with the same plain replicas share one instance ({@link ReplicaArrays}), so a chunk's row holds a single reference.
 */
record ReplicaSet(String[] ids, ChunkInfo.Replica[] states) {
  static final ReplicaSet EMPTY = new ReplicaSet(ReplicaArrays.NO_IDS, ReplicaArrays.NO_STATES);

  // Equality is the arrays' identity (the record default): shared sets are found by their shared arrays.
}
