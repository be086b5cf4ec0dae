package io.gfs.dist;

import io.gfs.common.HostPort;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server in a JVM of its own, started with its main class and a --conf file. Its output goes to a log file; the
 * node is up once the server prints its "serving on HOST:PORT" line.
 */
final class ProcessNode implements ClusterNode {
  /**
   * Found anywhere in a line, not only at its start: the server prints it on stdout while a logger may be writing a
   * long line on stderr into the same pipe, and the two interleave mid-line (seen: the serving line inside
   * ZooKeeper's classpath dump, so the node was reported as not started).
   */
  private static final Pattern SERVING = Pattern.compile("gfs (?:master|chunkserver \\S+) serving on (\\S+)$");
  private static final long START_WAIT_SECONDS = 60;
  private static final int TAIL_LINES = 40;

  private final String name;
  private final Process process;
  private final CompletableFuture<HostPort> ready;
  private final Deque<String> tail;
  private final Path logFile;

  private ProcessNode(String name, Process process, CompletableFuture<HostPort> ready, Deque<String> tail,
      Path logFile) {
    this.name = name;
    this.process = process;
    this.ready = ready;
    this.tail = tail;
    this.logFile = logFile;
  }

  /** Starts the server and waits until it serves. */
  static ProcessNode start(String name, String mainClass, Path conf, Path logFile, String classpath,
      List<String> jvmOptions) throws IOException {
    ProcessNode node = launch(name, mainClass, conf, logFile, classpath, jvmOptions);
    node.awaitServing(START_WAIT_SECONDS);
    return node;
  }

  /**
   * Starts the server without waiting: a standby master prints its serving line only once it is elected (issue 4),
   * so its address is unknown until then ({@link #address()} is null meanwhile).
   */
  static ProcessNode launch(String name, String mainClass, Path conf, Path logFile, String classpath,
      List<String> jvmOptions) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.add("--conf");
    command.add(conf.toString());
    Files.createDirectories(logFile.getParent());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<HostPort> ready = new CompletableFuture<>();
    Deque<String> tail = new ArrayDeque<>();
    Thread pump = new Thread(() -> pump(process, logFile, ready, tail), name + "-output");
    pump.setDaemon(true);
    pump.start();
    return new ProcessNode(name, process, ready, tail, logFile);
  }

  /** Waits until the server prints its serving line; kills it and throws if it does not within the time. */
  HostPort awaitServing(long seconds) throws IOException {
    try {
      return ready.get(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting " + name, e);
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      String lines;
      synchronized (tail) {
        lines = String.join("\n", tail);
      }
      throw new IOException(name + " did not start (see " + logFile + "); its last output:\n" + lines, e);
    }
  }

  /** True once the server printed its serving line (a standby master: once elected). */
  boolean serving() {
    return ready.isDone() && !ready.isCompletedExceptionally();
  }

  private static void pump(Process process, Path logFile, CompletableFuture<HostPort> ready, Deque<String> tail) {
    try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND)) {
      String line;
      while ((line = in.readLine()) != null) {
        log.write(line);
        log.write('\n');
        log.flush();
        if (!ready.isDone()) {
          synchronized (tail) {
            tail.addLast(line);
            if (tail.size() > TAIL_LINES) {
              tail.removeFirst();
            }
          }
          Matcher m = SERVING.matcher(line);
          if (m.find()) {
            ready.complete(HostPort.parse(m.group(1)));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      ready.completeExceptionally(e);
    }
    ready.completeExceptionally(new IOException("process exited with " + exitCode(process)));
  }

  private static String exitCode(Process process) {
    try {
      return String.valueOf(process.waitFor());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  @Override
  public HostPort address() {
    return serving() ? ready.join() : null;
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void stop() {
    process.destroy(); // SIGTERM: the server's shutdown hook closes it cleanly
    if (!waitFor(30)) {
      kill();
    }
  }

  @Override
  public void kill() {
    process.destroyForcibly(); // SIGKILL
    waitFor(30);
  }

  @Override
  public void pause() {
    signal("STOP");
  }

  @Override
  public void resume() {
    signal("CONT");
  }

  @Override
  public boolean alive() {
    return process.isAlive();
  }

  private boolean waitFor(long seconds) {
    try {
      return process.waitFor(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void signal(String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + name + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException("kill -" + signal + " " + name + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted signalling " + name, e);
    }
  }

  @Override
  public String toString() {
    return name + "(pid " + process.pid() + ", " + address() + ")";
  }
}
