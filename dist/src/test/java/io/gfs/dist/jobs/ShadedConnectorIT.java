package io.gfs.dist.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.dist.MiniGfsCluster;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 3 item 4: the shaded connector jar works from a stock classpath. For Hadoop's client 3.4.1 (what Spark 4.0
 * ships) and the current 3.5, a class loader that sees only the shaded jar, that Hadoop client (hadoop-client-api and
 * -runtime), slf4j-api, commons-logging and Spark's libthrift 0.16 — nothing of this JVM's classpath — runs
 * {@link ShadedProbe} against a MiniGfsCluster found through ZooKeeper. The jars are copied to target/shaded-it by
 * dist's pom (dependency:copy before the integration tests).
 */
class ShadedConnectorIT {
  private static final long CHUNK_BYTES = 1 << 20;

  @Test
  void theShadedJarWorksWithStockHadoopClients() throws Exception {
    Path jars = Path.of("target", "shaded-it").toAbsolutePath();
    List<Path> hadoops;
    try (Stream<Path> dirs = Files.list(jars)) {
      hadoops = dirs.filter(d -> d.getFileName().toString().startsWith("hadoop-")).sorted().toList();
    }
    assertTrue(hadoops.stream().anyMatch(d -> d.getFileName().toString().startsWith("hadoop-3.4.")), "" + hadoops);
    assertTrue(hadoops.stream().anyMatch(d -> d.getFileName().toString().startsWith("hadoop-3.5.")), "" + hadoops);

    try (MiniGfsCluster cluster = MiniGfsCluster.builder(JobsTestSupport.clusterDir("shaded-connector"))
        .clusterName("shaded")
        .chunkServers(3).chunkSizeBytes(CHUNK_BYTES).zookeeper(true).build()) {
      for (Path hadoop : hadoops) {
        String report = probe(jars.resolve("common"), hadoop, cluster);
        String version = hadoop.getFileName().toString().substring("hadoop-".length());
        assertEquals("hadoop " + version + ": create/read/list/record-append/rename/FileContext/delete ok", report);
      }
    }
  }

  private static String probe(Path common, Path hadoop, MiniGfsCluster cluster) throws Exception {
    List<URL> urls = new ArrayList<>();
    for (Path dir : List.of(common, hadoop)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
          urls.add(jar.toUri().toURL());
        }
      }
    }
    urls.add(Path.of(ShadedProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toUri().toURL());
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    // Parent: the platform loader, so nothing of this JVM's classpath (unshaded gfs, Thrift 0.25, Hadoop) is visible.
    try (URLClassLoader isolated = new URLClassLoader("shaded-" + hadoop.getFileName(), urls.toArray(new URL[0]),
        ClassLoader.getPlatformClassLoader())) {
      thread.setContextClassLoader(isolated);
      Class<?> probe = Class.forName(ShadedProbe.class.getName(), true, isolated);
      return (String) probe.getMethod("run", String.class, Map.class, long.class)
          .invoke(null, cluster.uri().toString(), cluster.clientSettings(), CHUNK_BYTES);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
