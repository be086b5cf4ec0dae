package io.gfs.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;

/** One FileSystem instance per worker thread, opened before the clock starts and closed after it stops. */
final class Clients implements AutoCloseable {
  private final List<FileSystem> clients = new ArrayList<>();

  Clients(BenchContext context, String system, int count) throws IOException {
    try {
      for (int i = 0; i < count; i++) {
        clients.add(context.clusters().newClient(system));
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  FileSystem get(int index) {
    return clients.get(index);
  }

  @Override
  public void close() {
    for (FileSystem fs : clients) {
      try {
        fs.close();
      } catch (IOException e) {
        // closing after the measurement: nothing to report
      }
    }
  }
}
