package io.gfs.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Small files: create, write 1 KiB, close, by 1 and 8 threads. */
final class SmallFilesSuite implements Suite {
  @Override
  public String name() {
    return "small";
  }

  @Override
  public boolean needsClusters() {
    return true;
  }

  @Override
  public List<Measurement> run(BenchContext context) throws IOException {
    BenchConfig config = context.config();
    byte[] data = Arrays.copyOf(TestBytes.buffer(), BenchConfig.SMALL_FILE_BYTES);
    List<Measurement> out = new ArrayList<>();
    for (String system : BenchContext.SYSTEMS) {
      for (int threads : config.smallFileThreads()) {
        int perThread = config.smallFileCount() / threads;
        Path dir = new Path("/bench/small/t" + threads);
        long nanos;
        try (Clients clients = new Clients(context, system, threads)) {
          for (int i = 0; i < threads; i++) {
            clients.get(i).mkdirs(new Path(dir, "w" + i));
          }
          nanos = Parallel.run(threads, i -> {
            FileSystem fs = clients.get(i);
            for (int j = 0; j < perThread; j++) {
              try (FSDataOutputStream out1 = fs.create(new Path(dir, "w" + i + "/f" + j), false)) {
                out1.write(data);
              }
            }
          });
          clients.get(0).delete(dir, true);
        }
        double filesPerSecond = (double) perThread * threads / (nanos / 1e9);
        out.add(new Measurement("small", "small files (create, write 1 KiB, close)", system, threads, filesPerSecond,
            "files/s", true, threads + " thread(s), each its own FileSystem instance and directory, " + perThread
                + " files each; files / wall time until the last close() returned"));
        context.progress("%s small files x%d: %.0f files/s", system, threads, filesPerSecond);
      }
    }
    return out;
  }
}
