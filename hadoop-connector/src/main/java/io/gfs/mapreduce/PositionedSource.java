package io.gfs.mapreduce;

import java.io.IOException;

/** Bytes by absolute position, as Hadoop's PositionedReadable gives them; -1 at the end of the file. */
@FunctionalInterface
interface PositionedSource {
  int read(long position, byte[] buffer, int offset, int length) throws IOException;
}
