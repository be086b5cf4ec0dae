package io.gfs.master.server;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every master-with-real-chunkservers IT shares: a metadata directory and a chunk directory of its own per test,
 * and the cluster the test started in them closed after it, even when the test failed.
 */
abstract class MasterItClusterTest {
  @TempDir
  Path metaDir;
  @TempDir
  Path chunkDir;

  /** Set by the subclass's {@code @BeforeEach} or test; closed after each test. */
  MasterItCluster cluster;

  @AfterEach
  final void closeCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }
}
