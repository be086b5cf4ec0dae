package io.gfs.sparkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code gfs local} as a child process (ZooKeeper in it, a master and chunkservers as processes of their own), started
 * from dist's runtime classpath exactly as {@code ./bin/gfs local} starts it. The cluster's classes (Thrift 0.25,
 * Curator, Hadoop 3.5) stay out of this JVM, whose classpath is Spark's plus the shaded connector jar.
 */
final class LocalGfs implements AutoCloseable {
  private static final long START_TIMEOUT_MILLIS = 180_000;
  private static final Pattern PROPERTY = Pattern.compile("<name>([^<]+)</name><value>([^<]*)</value>");

  private final Process process;
  private final Map<String, String> clientSettings;
  private final String uri;

  private LocalGfs(Process process, Map<String, String> clientSettings, String uri) {
    this.process = process;
    this.clientSettings = clientSettings;
    this.uri = uri;
  }

  static LocalGfs start(Path dir, long chunkSizeBytes) throws IOException, InterruptedException {
    Path distTarget = Path.of(System.getProperty("gfs.dist.target", "../dist/target")).toAbsolutePath().normalize();
    Path classpathFile = distTarget.resolve("classpath.txt");
    Path distJar;
    try (Stream<Path> jars = Files.list(distTarget)) {
      distJar = jars.filter(p -> p.getFileName().toString().matches("gfs-dist-.*\\.jar")
          && !p.getFileName().toString().contains("tests")).findFirst()
          .orElseThrow(() -> new IOException("no gfs-dist jar in " + distTarget + ": build dist first"));
    }
    deleteRecursively(dir);
    String classpath = distJar + java.io.File.pathSeparator + Files.readString(classpathFile).trim();
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-cp", classpath, "io.gfs.dist.LocalCluster",
        "--dir", dir.toString(), "--chunkservers", "3", "--chunk-size", Long.toString(chunkSizeBytes))
        .redirectErrorStream(true);
    Process process = pb.start();
    LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          System.out.println("[gfs local] " + line);
          lines.add(line);
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "gfs-local-output");
    pump.setDaemon(true);
    pump.start();
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
    try {
      while (true) {
        long left = deadline - System.currentTimeMillis();
        String line = left <= 0 ? null : lines.poll(Math.min(left, 1000), TimeUnit.MILLISECONDS);
        if (line != null && line.startsWith("ready: ")) {
          Map<String, String> settings = readClientConfiguration(dir.resolve("conf").resolve("core-site.xml"));
          return new LocalGfs(process, settings, line.substring("ready: ".length()).trim());
        }
        if (left <= 0 || (line == null && !process.isAlive())) {
          throw new IOException("gfs local did not become ready (alive: " + process.isAlive() + ")");
        }
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      stop(process);
      throw e;
    }
  }

  /** fs.defaultFS and the fs.gfs.* keys gfs local wrote for clients. */
  Map<String, String> clientSettings() {
    return clientSettings;
  }

  String uri() {
    return uri;
  }

  @Override
  public void close() {
    stop(process);
  }

  /** SIGTERM: gfs local's shutdown hook stops the servers; anything left after 60 s is killed. */
  private static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  private static Map<String, String> readClientConfiguration(Path coreSite) throws IOException {
    Map<String, String> settings = new LinkedHashMap<>();
    Matcher m = PROPERTY.matcher(Files.readString(coreSite));
    while (m.find()) {
      settings.put(m.group(1), m.group(2));
    }
    if (settings.isEmpty()) {
      throw new IOException("no client settings in " + coreSite);
    }
    return settings;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
