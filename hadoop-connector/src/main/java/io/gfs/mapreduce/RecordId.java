package io.gfs.mapreduce;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.hadoop.io.WritableComparable;

/**
 * A record's unique id [0110]: the writer that appended it and the writer's record number. The key that
 * {@link RecordAppendInputFormat} returns, so a job can also group by it (a global duplicate-removing pass over files
 * written without commit markers). Mutable, as Hadoop Writables are.
 */
public final class RecordId implements WritableComparable<RecordId> {
  private long writerId;
  private long seq;

  public RecordId() {}

  public RecordId(long writerId, long seq) {
    set(writerId, seq);
  }

  public void set(long writerId, long seq) {
    this.writerId = writerId;
    this.seq = seq;
  }

  public long writerId() {
    return writerId;
  }

  public long seq() {
    return seq;
  }

  @Override
  public void write(DataOutput out) throws IOException {
    out.writeLong(writerId);
    out.writeLong(seq);
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    writerId = in.readLong();
    seq = in.readLong();
  }

  @Override
  public int compareTo(RecordId other) {
    int byWriter = Long.compare(writerId, other.writerId);
    return byWriter != 0 ? byWriter : Long.compare(seq, other.seq);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecordId other && other.writerId == writerId && other.seq == seq;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(writerId) * 31 + Long.hashCode(seq);
  }

  @Override
  public String toString() {
    return Long.toHexString(writerId) + ":" + seq;
  }
}
