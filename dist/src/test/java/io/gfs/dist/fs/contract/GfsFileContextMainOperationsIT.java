package io.gfs.dist.fs.contract;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileContextMainOperationsBaseTest;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Hadoop's FileContextMainOperationsBaseTest against gfs through the io.gfs.hadoop.Gfs binding. */
class GfsFileContextMainOperationsIT extends FileContextMainOperationsBaseTest {
  @RegisterExtension
  static final GfsContractCluster CLUSTER = new GfsContractCluster();

  private static Path initialWorkingDirectory;

  @BeforeAll
  static void bind() throws Exception {
    Configuration conf = CLUSTER.clientConfiguration(new Configuration());
    fc = FileContext.getFileContext(CLUSTER.cluster().uri(), conf);
    initialWorkingDirectory = fc.getWorkingDirectory();
    fc.mkdir(initialWorkingDirectory, FileContext.DEFAULT_PERM, true); // setWorkingDirectory needs it to exist
  }

  /** The suite shares one static FileContext and testWorkingDirectory leaves it in a local directory: reset it. */
  @Override
  @BeforeEach
  public void setUp() throws Exception {
    fc.setWorkingDirectory(initialWorkingDirectory);
    super.setUp();
  }

  @Override
  protected boolean listCorruptedBlocksSupported() {
    return false;
  }
}
