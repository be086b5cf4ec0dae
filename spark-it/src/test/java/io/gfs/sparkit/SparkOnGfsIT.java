package io.gfs.sparkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 3 item 6: a Spark 4.0 {@code local[2]} session writes and reads Parquet and text on gfs://, with the shaded
 * connector jar on Spark's own classpath (Hadoop client 3.4.1, Spark's libthrift 0.16 beside it) and a cluster started
 * by {@code gfs local}, as the user guide does it. Small data with a 1 MiB chunk so files still span several chunks.
 */
class SparkOnGfsIT {
  private static final long CHUNK_BYTES = 1 << 20;
  private static final int ROWS = 200_000;

  private static LocalGfs gfs;
  private static SparkSession spark;

  @BeforeAll
  static void start() throws Exception {
    gfs = LocalGfs.start(Path.of("target", "it", "spark-gfs").toAbsolutePath(), CHUNK_BYTES);
    SparkSession.Builder builder = SparkSession.builder()
        .appName("gfs spark it")
        .master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.adaptive.enabled", "false");
    for (Map.Entry<String, String> e : gfs.clientSettings().entrySet()) {
      builder.config("spark.hadoop." + e.getKey(), e.getValue());
    }
    spark = builder.getOrCreate();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (spark != null) {
        spark.stop();
      }
      FileSystem.closeAll();
    } finally {
      if (gfs != null) {
        gfs.close();
      }
    }
  }

  @Test
  void theConnectorComesFromTheShadedJarBesideSparksThrift() throws Exception {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    FileSystem fs = FileSystem.get(java.net.URI.create(gfs.uri()), conf);
    assertEquals("io.gfs.hadoop.GfsFileSystem", fs.getClass().getName());
    assertTrue(jarOf(fs.getClass()).endsWith("-shaded.jar"), jarOf(fs.getClass()));
    assertTrue(jarOf(Class.forName("org.apache.thrift.TBase")).contains("libthrift-0.16"),
        "Spark's own Thrift is on the classpath too");
    assertTrue(org.apache.hadoop.util.VersionInfo.getVersion().startsWith("3.4."),
        "Spark 4.0 runs the Hadoop 3.4 client, not " + org.apache.hadoop.util.VersionInfo.getVersion());
  }

  @Test
  void parquetRoundTrip() throws Exception {
    String path = gfs.uri() + "spark/parquet";
    Dataset<Row> rows = spark.range(ROWS).selectExpr("id", "id % 97 AS bucket",
        "concat('row-', CAST(id AS STRING), '-', repeat('x', CAST(id % 50 AS INT))) AS text");
    rows.repartition(4).write().mode(SaveMode.Overwrite).parquet(path);

    Dataset<Row> back = spark.read().parquet(path);
    assertEquals(ROWS, back.count());
    Row sums = back.selectExpr("sum(id)", "sum(bucket)", "sum(length(text))").first();
    Row expected = rows.selectExpr("sum(id)", "sum(bucket)", "sum(length(text))").first();
    assertEquals(expected, sums);
    assertEquals(97, back.groupBy("bucket").count().count());

    FileSystem fs = FileSystem.get(java.net.URI.create(path), spark.sparkContext().hadoopConfiguration());
    List<String> parts = new ArrayList<>();
    for (FileStatus s : fs.listStatus(new org.apache.hadoop.fs.Path(path))) {
      parts.add(s.getPath().getName());
    }
    assertTrue(parts.contains("_SUCCESS"), "committed: " + parts);
    assertEquals(4, parts.stream().filter(n -> n.endsWith(".parquet")).count(), "" + parts);
  }

  @Test
  void textRoundTrip() {
    String path = gfs.uri() + "spark/text";
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      lines.add("line " + i + " " + "y".repeat(i % 80));
    }
    spark.createDataset(lines, Encoders.STRING()).repartition(3).write().mode(SaveMode.Overwrite).text(path);

    Dataset<String> back = spark.read().textFile(path);
    assertEquals(lines.size(), back.count());
    List<String> sorted = new ArrayList<>(back.collectAsList());
    sorted.sort(null);
    List<String> expected = new ArrayList<>(lines);
    expected.sort(null);
    assertEquals(expected, sorted);
    long words = back.selectExpr("explode(split(value, ' ')) AS w").filter("w = 'line'").count();
    assertEquals(lines.size(), words);
  }

  private static String jarOf(Class<?> type) {
    return String.valueOf(type.getProtectionDomain().getCodeSource().getLocation());
  }
}
