package io.gfs.mapreduce;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.mapreduce.RecordWriter;
import org.apache.hadoop.mapreduce.TaskAttemptContext;

/**
 * One task attempt's writer: each (key, value) becomes one framed record appended to the job's single file, and every
 * acknowledged offset goes to the attempt's pending commit marker. The payload is the value (the key when the value is
 * null or NullWritable): a BytesWritable's bytes, a Text's UTF-8 bytes, any other Writable's serialized form, or a
 * String's UTF-8 bytes.
 */
final class RecordAppendRecordWriter<K, V> extends RecordWriter<K, V> {
  private final RecordAppendWriter writer;
  private final OutputStream markerStream;
  private final CommitMarker.Writer marker;
  private final ByteArrayOutputStream scratch = new ByteArrayOutputStream();

  RecordAppendRecordWriter(RecordAppendWriter writer, OutputStream markerStream, CommitMarker.Writer marker) {
    this.writer = writer;
    this.markerStream = markerStream;
    this.marker = marker;
  }

  @Override
  public void write(K key, V value) throws IOException {
    Object payload = value == null || value instanceof NullWritable ? key : value;
    if (payload instanceof BytesWritable b) {
      writer.write(b.getBytes(), 0, b.getLength());
    } else if (payload instanceof Text t) {
      writer.write(t.getBytes(), 0, t.getLength());
    } else if (payload instanceof Writable w) {
      scratch.reset();
      DataOutputStream out = new DataOutputStream(scratch);
      w.write(out);
      out.flush();
      writer.write(scratch.toByteArray());
    } else if (payload instanceof CharSequence s) {
      writer.write(s.toString().getBytes(StandardCharsets.UTF_8));
    } else {
      throw new IOException("record append output takes Writable or String records, not "
          + (payload == null ? "null" : payload.getClass().getName()));
    }
  }

  @Override
  public void close(TaskAttemptContext context) throws IOException {
    try {
      writer.close();
      marker.finish();
    } finally {
      markerStream.close();
    }
  }
}
