package io.gfs.dist.tarball;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One "machine" of the tarball test: its own conf dir (a copy of the distribution's conf/, edited like an operator
 * would), log dir and data dir, and the process a bin/ script of the unpacked distribution started on it. Output goes
 * to files in the node's directory.
 */
final class Node implements AutoCloseable {
  final String name;
  final Path dir;
  final Path confDir;
  final Path logDir;
  private Process process;

  Node(String name, Path root, Path gfsHome) throws IOException {
    this.name = name;
    this.dir = root.resolve(name);
    this.confDir = dir.resolve("conf");
    this.logDir = dir.resolve("logs");
    Files.createDirectories(dir);
    copyDirectory(gfsHome.resolve("conf"), confDir);
  }

  /** Sets keys in one of the node's properties files (a template from the tarball), keeping its comments. */
  void configure(String file, Map<String, String> values) throws IOException {
    Path path = confDir.resolve(file);
    List<String> lines = new ArrayList<>(Files.readAllLines(path, StandardCharsets.UTF_8));
    for (Map.Entry<String, String> e : values.entrySet()) {
      String line = e.getKey() + "=" + e.getValue();
      boolean replaced = false;
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).startsWith(e.getKey() + "=")) {
          lines.set(i, line);
          replaced = true;
        }
      }
      if (!replaced) {
        lines.add(line);
      }
    }
    Files.write(path, lines, StandardCharsets.UTF_8);
  }

  /** Runs bin/gfs ARGS of the distribution with this node's GFS_CONF_DIR and GFS_LOG_DIR, in the background. */
  void start(Path gfsHome, Map<String, String> env, String... args) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command(gfsHome, args));
    pb.environment().putAll(env);
    pb.environment().put("GFS_CONF_DIR", confDir.toString());
    pb.environment().put("GFS_LOG_DIR", logDir.toString());
    pb.redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile());
    process = pb.start();
  }

  static List<String> command(Path gfsHome, String... args) {
    List<String> command = new ArrayList<>();
    command.add(gfsHome.resolve("bin/gfs").toString());
    command.addAll(List.of(args));
    return command;
  }

  String stdout() throws IOException {
    Path out = dir.resolve("stdout");
    return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
  }

  String stderr() throws IOException {
    Path err = dir.resolve("stderr");
    return Files.exists(err) ? Files.readString(err, StandardCharsets.UTF_8) : "";
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy(); // SIGTERM: a clean stop
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }

  private static void copyDirectory(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName().toString()));
      }
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
