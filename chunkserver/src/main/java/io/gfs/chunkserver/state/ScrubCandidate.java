package io.gfs.chunkserver.state;

/**
 * A replica the scrubber may verify: not known corrupt, and when its bytes last changed ({@link Long#MIN_VALUE} when
 * not since this server started: idle as far as anyone can tell).
 */
public record ScrubCandidate(long handle, long lastMutationMillis) {}
