package io.gfs.dist.admin;

import io.gfs.client.GfsAdmin;
import io.gfs.client.GfsClientOptions;
import io.gfs.hadoop.GfsConfiguration;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * {@code gfs admin}: the operator's command line (HDFS's dfsadmin and fsck as the bar). It reads the client
 * configuration as {@code gfs fs} does (core-site.xml on the classpath: fs.defaultFS and the fs.gfs.* keys that find
 * the master through ZooKeeper or a fixed address), and talks to the active master through the client library.
 * Exit status: 0 done (fsck: healthy), 1 failed (fsck: missing chunks; a wait that timed out), 2 usage error.
 */
public final class AdminMain {
  static final int EXIT_OK = 0;
  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;
  /** How often long operations (waits) ask the master, unless --poll says otherwise. */
  static final long POLL_MILLIS_DEFAULT = 1000;

  private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("report", new ReportCommand());
    COMMANDS.put("fsck", new FsckCommand());
    COMMANDS.put("deleted", new DeletedCommand());
    COMMANDS.put("snapshots", new SnapshotsCommand());
    COMMANDS.put("balancer", new BalancerCommand());
    COMMANDS.put("safemode", new SafeModeCommand());
    COMMANDS.put("decommission", new DecommissionCommand());
    COMMANDS.put("policy", new PolicyCommand());
  }

  private AdminMain() {}

  public static void main(String[] args) {
    int status = run(args, new Configuration(), System.out, System.err, System.console() != null);
    System.out.flush();
    System.exit(status);
  }

  /**
   * Runs one command line against the cluster conf names; terminal selects progress bars over plain lines. Returns the
   * exit status.
   */
  public static int run(String[] argv, Configuration conf, PrintStream out, PrintStream err, boolean terminal) {
    List<String> args = Arrays.asList(argv);
    Configuration c = new Configuration(conf);
    long pollMillis = POLL_MILLIS_DEFAULT;
    int i = 0;
    try {
      for (; i < args.size() && args.get(i).startsWith("-"); i++) {
        String option = args.get(i);
        switch (option) {
          case "-h", "--help", "-help" -> {
            out.print(usage());
            return EXIT_OK;
          }
          case "--fs", "-fs" -> c.set("fs.defaultFS", value(args, ++i, option));
          case "--poll" -> pollMillis = Math.max(10, Formats.durationMillis(value(args, ++i, option)));
          case "-D" -> define(c, value(args, ++i, option));
          default -> {
            if (!option.startsWith("-D") || option.length() == 2) {
              throw new UsageException("unknown option '" + option + "'");
            }
            define(c, option.substring(2));
          }
        }
      }
      if (i >= args.size()) {
        throw new UsageException("no command");
      }
      String name = args.get(i);
      Command command = COMMANDS.get(name);
      if (command == null) {
        throw new UsageException("unknown command '" + name + "'");
      }
      Args commandArgs = Args.parse(args.subList(i + 1, args.size()), command.switches(), command.options());
      try (GfsAdmin admin = connect(c)) {
        return command.run(commandArgs, new AdminContext(admin, out, err, terminal, pollMillis));
      }
    } catch (UsageException e) {
      err.println("gfs admin: " + e.getMessage());
      err.print(usage());
      return EXIT_USAGE;
    } catch (IOException | IllegalArgumentException e) {
      err.println("gfs admin: " + e.getMessage());
      return EXIT_FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("gfs admin: interrupted");
      return EXIT_FAILED;
    } finally {
      out.flush();
      err.flush();
    }
  }

  private static GfsAdmin connect(Configuration conf) throws UsageException {
    String fs = conf.get("fs.defaultFS", "");
    URI uri;
    try {
      uri = URI.create(fs);
    } catch (IllegalArgumentException e) {
      throw new UsageException("fs.defaultFS '" + fs + "' is not a URI");
    }
    if (!"gfs".equals(uri.getScheme()) || uri.getAuthority() == null) {
      throw new UsageException("fs.defaultFS is '" + fs + "', not gfs://CLUSTER/: give --fs gfs://CLUSTER/ or set it"
          + " in core-site.xml (GFS_CONF_DIR)");
    }
    GfsClientOptions options = GfsConfiguration.clientOptions(conf);
    return GfsAdmin.create(uri.getAuthority(), options);
  }

  private static void define(Configuration conf, String keyValue) throws UsageException {
    int eq = keyValue.indexOf('=');
    if (eq <= 0) {
      throw new UsageException("-D needs key=value, not '" + keyValue + "'");
    }
    conf.set(keyValue.substring(0, eq), keyValue.substring(eq + 1));
  }

  private static String value(List<String> args, int index, String option) throws UsageException {
    if (index >= args.size()) {
      throw new UsageException(option + " needs a value");
    }
    return args.get(index);
  }

  static String usage() {
    StringBuilder b = new StringBuilder();
    b.append("usage: gfs admin [--fs gfs://CLUSTER/] [-D key=value]... [--poll DURATION] COMMAND\n");
    for (Command command : COMMANDS.values()) {
      for (String line : command.usage().split("\n")) {
        b.append("  ").append(line).append('\n');
      }
    }
    b.append("Exit status: 0 done (fsck: healthy), 1 failed (fsck: missing chunks), 2 usage error.\n");
    return b.toString();
  }
}
