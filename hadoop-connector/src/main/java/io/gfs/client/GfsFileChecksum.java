package io.gfs.client;

/**
 * A file's content checksum: the CRC32C of all its bytes, composed from its chunks' stored CRCs, so equal contents give
 * equal checksums whatever the chunk size or the way the file was written.
 */
public record GfsFileChecksum(long lengthBytes, int crc32c) {}
