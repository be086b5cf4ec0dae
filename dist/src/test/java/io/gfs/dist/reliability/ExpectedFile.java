package io.gfs.dist.reliability;

/**
 * What a writer was told about one file: its bytes are Payloads.byteAt(seed, position); durableBytes of them were
 * made durable (hsync returned, or close returned: then closed is true and the file must be exactly that long).
 */
record ExpectedFile(String path, long seed, long durableBytes, boolean closed) {}
