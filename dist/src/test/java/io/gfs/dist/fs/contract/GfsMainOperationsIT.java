package io.gfs.dist.fs.contract;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSMainOperationsBaseTest;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.contract.ContractTestUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hadoop's FSMainOperationsBaseTest (globs, listings, renames with options, ...) against gfs; two tests do not apply
 * (docs/hadoop-compatibility.md).
 */
class GfsMainOperationsIT extends FSMainOperationsBaseTest {
  @RegisterExtension
  static final GfsContractCluster CLUSTER = new GfsContractCluster();

  private static final String PERMISSIONS_NOT_ENFORCED = "gfs stores owner, group and permission bits and returns"
      + " them, but does not enforce them yet (that comes with authentication, the security issue): a directory"
      + " with permission 0 stays listable";

  GfsMainOperationsIT() {
    super("/test-main-operations");
  }

  @Override
  protected FileSystem createFileSystem() throws Exception {
    return CLUSTER.fileSystem(new Configuration());
  }

  @Override
  @BeforeEach
  public void setUp() throws Exception {
    fSys = createFileSystem();
    super.setUp();
  }

  @Test
  @Override
  public void testListStatusThrowsExceptionForUnreadableDir() {
    ContractTestUtils.skip(PERMISSIONS_NOT_ENFORCED);
  }

  @Test
  @Override
  public void testGlobStatusThrowsExceptionForUnreadableDir() {
    ContractTestUtils.skip(PERMISSIONS_NOT_ENFORCED);
  }
}
