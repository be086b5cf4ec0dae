package io.gfs.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FsShell;
import org.apache.hadoop.util.ToolRunner;
import org.junit.jupiter.api.Test;

/**
 * Issue 2: `gfs local`, then the shell commands a new user tries first; data is there again after a restart. Issue 4:
 * `gfs local` runs two masters and a shadow; with the active master SIGKILLed the shell's next -put goes through the
 * standby by itself.
 */
class LocalClusterIT {
  @Test
  void shellCommandsWorkAndDataSurvivesARestart() throws Exception {
    java.nio.file.Path dir = TestData.clusterDir("local-cluster");
    java.nio.file.Path local = dir.resolve("hello.txt");
    Files.writeString(local, "hello, gfs\n");
    Process cluster = startLocal(dir);
    try {
      Configuration conf = clientConf(dir);
      assertEquals(0, shell(conf, "-mkdir", "-p", "/user/demo"));
      assertEquals(0, shell(conf, "-put", local.toString(), "/user/demo/hello.txt"));
      String listing = output(conf, "-ls", "/user/demo");
      assertTrue(listing.contains("/user/demo/hello.txt"), listing);
      assertEquals("hello, gfs\n", output(conf, "-cat", "/user/demo/hello.txt"));
    } finally {
      stop(cluster);
    }

    cluster = startLocal(dir);
    try {
      Configuration conf = clientConf(dir);
      assertEquals("hello, gfs\n", output(conf, "-cat", "/user/demo/hello.txt"));
      assertEquals(0, shell(conf, "-rm", "/user/demo/hello.txt"));
      assertTrue(shell(conf, "-ls", "/user/demo/hello.txt") != 0, "the file is gone");

      // Issue 4: master 0 started first and leads; SIGKILL it, and the standby (master1) takes over.
      ProcessHandle active = child(cluster, "conf/master.properties");
      ProcessHandle standby = child(cluster, "conf/master1.properties");
      child(cluster, "conf/shadow0.properties"); // and the shadow runs
      active.destroyForcibly();
      assertTrue(active.onExit().get(30, TimeUnit.SECONDS) != null);
      assertEquals(0, shell(conf, "-put", local.toString(), "/user/demo/after-failover.txt"));
      assertEquals("hello, gfs\n", output(conf, "-cat", "/user/demo/after-failover.txt"));
      assertTrue(standby.isAlive());
    } finally {
      stop(cluster);
    }
  }

  /** The server process of gfs local started with the given configuration file (its masters, shadow, chunkservers). */
  private static ProcessHandle child(Process cluster, String conf) {
    return cluster.descendants().filter(p -> commandLine(p).endsWith(conf)).findFirst()
        .orElseThrow(() -> new AssertionError("gfs local runs no process with " + conf));
  }

  private static String commandLine(ProcessHandle process) {
    try { // /proc holds the whole command line (ProcessHandle.Info may not have it)
      byte[] raw = Files.readAllBytes(java.nio.file.Path.of("/proc", Long.toString(process.pid()), "cmdline"));
      return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
    } catch (java.io.IOException gone) {
      return "";
    }
  }

  private static Process startLocal(java.nio.file.Path dir) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), LocalCluster.class.getName(), "--dir", dir.toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<String> ready = new CompletableFuture<>();
    StringBuilder seen = new StringBuilder();
    Thread pump = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          synchronized (seen) {
            seen.append(line).append('\n');
          }
          if (line.startsWith("ready: ")) {
            ready.complete(line);
          }
        }
      } catch (Exception e) {
        ready.completeExceptionally(e);
      }
      ready.completeExceptionally(new AssertionError("gfs local exited"));
    });
    pump.setDaemon(true);
    long startedNanos = System.nanoTime();
    pump.start();
    try {
      assertEquals("ready: gfs://local/", ready.get(90, TimeUnit.SECONDS));
      // Reported, not asserted: how long a user waits for the ready line.
      System.out.println("gfs local ready after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos)
          + " ms");
    } catch (Exception e) {
      p.destroyForcibly();
      synchronized (seen) {
        throw new AssertionError("gfs local did not get ready; output:\n" + seen, e);
      }
    }
    return p;
  }

  private static void stop(Process p) throws Exception {
    p.destroy(); // SIGTERM, as Ctrl-C would
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("gfs local did not stop within 60 s of SIGTERM");
    }
    FileSystem.closeAll();
  }

  private static Configuration clientConf(java.nio.file.Path dir) {
    Configuration conf = new Configuration();
    conf.addResource(new org.apache.hadoop.fs.Path(dir.resolve("conf/core-site.xml").toUri()));
    return conf;
  }

  private static int shell(Configuration conf, String... args) throws Exception {
    return ToolRunner.run(conf, new FsShell(), args);
  }

  private static synchronized String output(Configuration conf, String... args) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = shell(conf, args);
    } finally {
      System.setOut(original);
    }
    assertEquals(0, code, "fs " + String.join(" ", args));
    return captured.toString(StandardCharsets.UTF_8);
  }
}
