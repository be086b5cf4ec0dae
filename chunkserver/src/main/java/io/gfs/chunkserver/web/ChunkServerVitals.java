package io.gfs.chunkserver.web;

/**
 * A chunkserver's numbers at one moment, as its status page and /metrics show them (issue 8).
 *
 * @param capacityBytes what it reports to the master (configured, or free plus used)
 * @param chunkCount replicas held, corrupt ones included; corruptCount of them failed verification
 * @param primaryLeases chunks it is primary for now [0092]
 * @param scrubberOn false when gfs.chunkserver.scrub.bytes.per.second is 0
 */
public record ChunkServerVitals(String serverId, String address, String rack, long capacityBytes, long usedBytes,
    int chunkCount, int corruptCount, int primaryLeases, long heartbeatsSent, boolean scrubberOn,
    long scrubbedChunks, long scrubbedBytes, long scrubCorruptFound, long pushBufferBytes) {}
