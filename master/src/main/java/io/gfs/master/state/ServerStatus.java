package io.gfs.master.state;

/** A live chunkserver for the cluster status: its last heartbeat and how many replicas the master knows it holds. */
public record ServerStatus(ChunkServerInfo info, int chunkCount) {}
