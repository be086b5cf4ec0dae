package io.gfs.master.state;

/**
 * Cluster-wide chunk health for the admin report: chunks below their target replication, chunks with at least one
 * replica reported corrupt [0127], and chunks with no live current replica at all (data unreadable now).
 */
public record ChunkHealth(int underReplicated, int corrupt, int missing) {}
