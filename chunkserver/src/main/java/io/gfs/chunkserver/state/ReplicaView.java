package io.gfs.chunkserver.state;

/** One replica as the heartbeat reports it: its handle and version, or that its checksums failed. */
public record ReplicaView(long handle, long version, boolean corrupt) {}
