package io.gfs.dist.jobs;

import io.gfs.hadoop.GfsFileSystem;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.VersionInfo;

/**
 * Runs inside ShadedConnectorIT's isolated class loader, where only the shaded connector jar, a stock Hadoop client and
 * Spark's libthrift exist: it must find gfs:// through Hadoop's ServiceLoader and create, read, list, record-append,
 * rename and delete. Uses nothing but Hadoop's public API (and GfsFileSystem's record append), as a user's code would.
 */
public final class ShadedProbe {
  private ShadedProbe() {}

  public static String run(String uri, Map<String, String> settings, long chunkSizeBytes) throws Exception {
    Configuration conf = new Configuration();
    settings.forEach(conf::set);
    String version = VersionInfo.getVersion();
    Path dir = new Path("/shaded/hadoop-" + version);
    try (FileSystem fs = FileSystem.newInstance(URI.create(uri), conf)) {
      check(fs instanceof GfsFileSystem, "gfs:// resolved to " + fs.getClass());
      check(jarOf(fs.getClass()).endsWith("-shaded.jar"), "GfsFileSystem came from " + jarOf(fs.getClass()));
      Class<?> relocated = Class.forName("io.gfs.shaded.org.apache.thrift.TBase");
      check(jarOf(relocated).endsWith("-shaded.jar"), "relocated Thrift came from " + jarOf(relocated));
      Class<?> sparks = Class.forName("org.apache.thrift.TBase");
      check(jarOf(sparks).contains("libthrift-0.16"), "unrelocated Thrift came from " + jarOf(sparks));

      check(fs.mkdirs(dir), "mkdirs " + dir);
      byte[] data = new byte[(int) (2 * chunkSizeBytes + 12_345)];
      new SplittableRandom(7).nextBytes(data);
      Path file = new Path(dir, "data.bin");
      try (OutputStream out = fs.create(file, true)) {
        out.write(data);
      }
      byte[] back = new byte[data.length];
      try (InputStream in = fs.open(file)) {
        int n = 0;
        for (int r = 0; r >= 0 && n < back.length; n += Math.max(r, 0)) {
          r = in.read(back, n, back.length - n);
        }
        check(n == data.length && Arrays.equals(data, back), "read back " + n + " bytes, equal: "
            + Arrays.equals(data, back));
      }
      FileStatus[] listed = fs.listStatus(dir);
      check(listed.length == 1 && listed[0].getLen() == data.length, "listed " + Arrays.toString(listed));
      check(fs.getFileBlockLocations(listed[0], 0, data.length).length == 3, "block locations");

      Path log = new Path(dir, "log");
      fs.create(log, true).close();
      long first = ((GfsFileSystem) fs).recordAppend(log, "one".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      long second = ((GfsFileSystem) fs).recordAppend(log, "two".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      check(first == 0 && second == 3, "record append offsets " + first + ", " + second);

      Path renamed = new Path(dir, "renamed.bin");
      check(fs.rename(file, renamed) && fs.exists(renamed) && !fs.exists(file), "rename");
      FileContext fc = FileContext.getFileContext(URI.create(uri), conf);
      check(fc.getFileStatus(renamed).getLen() == data.length, "FileContext status");
      check(fs.delete(dir, true) && !fs.exists(dir), "delete");
    } finally {
      FileSystem.closeAll(); // FileContext's cached instance too: no client threads outlive the class loader
    }
    return "hadoop " + version + ": create/read/list/record-append/rename/FileContext/delete ok";
  }

  private static String jarOf(Class<?> type) {
    return String.valueOf(type.getProtectionDomain().getCodeSource().getLocation());
  }

  private static void check(boolean condition, String what) throws IOException {
    if (!condition) {
      throw new IOException("shaded connector check failed: " + what);
    }
  }
}
