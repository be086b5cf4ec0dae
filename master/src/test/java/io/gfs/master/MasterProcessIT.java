package io.gfs.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The master as its own JVM: SIGKILL after acknowledged creates loses none of them. */
class MasterProcessIT {
  private static final String READY = "gfs master serving on ";

  @TempDir
  Path dir;

  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void killAll() throws InterruptedException {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static String classpath() {
    // Surefire/failsafe may hand the JVM a manifest-only jar; they also publish the real classpath.
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

  private Process launch(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp", classpath(),
        MasterMain.class.getName()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectError(dir.resolve("stderr-" + processes.size() + ".log")
        .toFile()).start();
    processes.add(process);
    return process;
  }

  /** Starts a master and waits for its one ready line. */
  private HostPort startMaster(Path conf) throws Exception {
    Process process = launch("--conf", conf.toString());
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        return null;
      }
    }).get(120, TimeUnit.SECONDS);
    assertTrue(line != null && line.startsWith(READY), "ready line, got: " + line + "; stderr: " + stderr());
    return HostPort.parse(line.substring(READY.length()));
  }

  private String stderr() {
    try {
      StringBuilder b = new StringBuilder();
      for (File f : dir.toFile().listFiles((d, n) -> n.startsWith("stderr-"))) {
        b.append(Files.readString(f.toPath()));
      }
      return b.length() > 4000 ? b.substring(b.length() - 4000) : b.toString();
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Test
  void acknowledgedCreatesSurviveSigkill() throws Exception {
    Path conf = dir.resolve("master.properties");
    Files.writeString(conf, "gfs.master.meta.dir=" + dir.resolve("meta") + "\ngfs.master.port=0\n"
        + "gfs.master.checkpoint.records=150\n");
    HostPort address = startMaster(conf);
    int creates = 400;
    try (RpcClients rpc = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(30_000))) {
      for (int i = 0; i < creates; i++) {
        int n = i;
        rpc.master(address, c -> c.create("/d" + (n % 10) + "/f" + n, false, true, 1, null, null, (short) -1));
      }
      Process first = processes.get(0);
      first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
      assertTrue(first.waitFor(60, TimeUnit.SECONDS));
      rpc.forget(address);
      HostPort restarted = startMaster(conf);
      assertEquals(creates, rpc.master(restarted, c -> c.getClusterStatus()).getFileCount());
      for (int i = 0; i < creates; i++) {
        int n = i;
        assertTrue(!rpc.master(restarted, c -> c.getFileInfo("/d" + (n % 10) + "/f" + n)).isDirectory());
      }
      // SIGTERM: the shutdown hook closes the master cleanly (the meta dir lock is released for the next start).
      Process second = processes.get(1);
      second.destroy();
      assertTrue(second.waitFor(60, TimeUnit.SECONDS), "SIGTERM did not stop the master");
      assertTrue(stderr().contains("stopped"), stderr());
      rpc.forget(restarted);
      HostPort third = startMaster(conf);
      assertEquals(creates, rpc.master(third, c -> c.getClusterStatus()).getFileCount());
    }
  }

  @Test
  void badArgumentsAndConfigurationExitWithTwo() throws Exception {
    Process noArgs = launch();
    assertTrue(noArgs.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, noArgs.exitValue());
    Path bad = dir.resolve("bad.properties");
    Files.writeString(bad, "gfs.master.port=70000\ngfs.master.meta.dir=" + dir + "\n");
    Process badPort = launch("--conf", bad.toString());
    assertTrue(badPort.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, badPort.exitValue());
    Files.writeString(bad, "gfs.master.no.such.key=1\n");
    Process unknownKey = launch("--conf", bad.toString());
    assertTrue(unknownKey.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, unknownKey.exitValue());
    assertTrue(stderr().contains("unknown key"), stderr());
  }
}
