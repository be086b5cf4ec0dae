package io.gfs.chunkserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chunkserver as a process: its one line on stdout, exit code 2 on bad input, a clean stop on SIGTERM. */
class ChunkServerMainIT {
  private static final Pattern SERVING = Pattern.compile("gfs chunkserver (cs-[0-9a-f]{16}) serving on 127\\.0\\.0\\.1:(\\d+)");

  @TempDir
  Path dir;
  final List<Process> processes = new ArrayList<>();

  @AfterEach
  void killLeftovers() throws InterruptedException {
    for (Process process : processes) {
      if (process.isAlive()) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  private Process launch(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
        "-cp", System.getProperty("java.class.path"), ChunkServerMain.class.getName()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.PIPE)
        .redirectError(dir.resolve("stderr-" + processes.size() + ".txt").toFile()).start();
    processes.add(process);
    return process;
  }

  private String stderr(int index) throws IOException {
    return Files.readString(dir.resolve("stderr-" + index + ".txt"));
  }

  private int exitCode(Process process) throws InterruptedException {
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the process did not exit");
    return process.exitValue();
  }

  @Test
  void badArgumentsAndConfigurationsExitWithCodeTwo() throws Exception {
    Path unknownKey = dir.resolve("unknown.properties");
    Files.writeString(unknownKey, "gfs.chunkserver.data.dirs=" + dir.resolve("d") + "\ngfs.chunkserver.bogus=1\n");
    Path noDirs = dir.resolve("nodirs.properties");
    Files.writeString(noDirs, "gfs.chunkserver.master.address=127.0.0.1:1\n");
    Path badPort = dir.resolve("badport.properties");
    Files.writeString(badPort, "gfs.chunkserver.data.dirs=" + dir.resolve("d")
        + "\ngfs.chunkserver.master.address=127.0.0.1:1\ngfs.chunkserver.port=70000\n");
    String[][] cases = {
        {},
        {"--conf"},
        {"--config", "x"},
        {"--conf", dir.resolve("missing.properties").toString()},
        {"--conf", unknownKey.toString()},
        {"--conf", noDirs.toString()},
        {"--conf", badPort.toString()},
    };
    for (String[] args : cases) {
      int index = processes.size();
      Process process = launch(args);
      assertEquals(2, exitCode(process), String.join(" ", args) + ": " + stderr(index));
      assertTrue(stderr(index).startsWith("gfs chunkserver") || stderr(index).startsWith("usage"), stderr(index));
    }
  }

  @Test
  void servesPrintsOneLineAndStopsOnSigterm() throws Exception {
    Path conf = dir.resolve("cs.properties");
    Files.writeString(conf, String.join("\n",
        "gfs.chunkserver.host=127.0.0.1",
        "gfs.chunkserver.port=0",
        "gfs.chunkserver.data.dirs=" + dir.resolve("data"),
        "gfs.chunkserver.master.address=127.0.0.1:1", ""));
    Process process = launch("--conf", conf.toString());
    BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8));
    String line = CompletableFuture.supplyAsync(() -> {
      try {
        return stdout.readLine();
      } catch (IOException e) {
        return "read failed: " + e;
      }
    }).get(60, TimeUnit.SECONDS);
    Matcher m = SERVING.matcher(String.valueOf(line));
    assertTrue(m.matches(), line + " / " + stderr(0));
    assertEquals(Files.readString(dir.resolve("data/server-id")).trim(), m.group(1));
    process.destroy(); // SIGTERM
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "no exit after SIGTERM");
    assertTrue(stderr(0).contains("stopped"), stderr(0));
  }
}
