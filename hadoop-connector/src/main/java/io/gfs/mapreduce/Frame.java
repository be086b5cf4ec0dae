package io.gfs.mapreduce;

/** One valid record found in a file: where its frame starts, its unique id (writer, seq) and its payload. */
record Frame(long offsetBytes, long writerId, long seq, byte[] payload) {
  int frameBytes() {
    return RecordFrame.HEADER_BYTES + payload.length;
  }
}
