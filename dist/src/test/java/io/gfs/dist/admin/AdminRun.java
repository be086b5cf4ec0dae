package io.gfs.dist.admin;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;

/** One {@code gfs admin} run in this JVM: its exit status and what it wrote (plain lines, as to a pipe). */
record AdminRun(int status, String out, String err) {
  static AdminRun of(Configuration conf, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] withPoll = new String[args.length + 2];
    withPoll[0] = "--poll";
    withPoll[1] = "200ms";
    System.arraycopy(args, 0, withPoll, 2, args.length);
    int status = AdminMain.run(withPoll, conf, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false);
    return new AdminRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
