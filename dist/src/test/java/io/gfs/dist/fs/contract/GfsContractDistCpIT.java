package io.gfs.dist.fs.contract;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.contract.AbstractFSContract;
import org.apache.hadoop.fs.contract.ContractTestUtils;
import org.apache.hadoop.tools.contract.AbstractContractDistCpTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** hadoop-distcp's contract suite against gfs: DistCp jobs in local mode between the local file system and gfs. */
class GfsContractDistCpIT extends AbstractContractDistCpTest {
  @RegisterExtension
  static final GfsContractCluster CLUSTER = new GfsContractCluster();

  @Override
  protected AbstractFSContract createContract(Configuration conf) {
    return new GfsContract(conf, CLUSTER);
  }

  @Override
  protected Configuration createConfiguration() {
    Configuration conf = super.createConfiguration();
    conf.set("mapreduce.framework.name", "local");
    return conf;
  }

  @Test
  @Override
  public void testDistCpWithIterator() {
    ContractTestUtils.skip("the test reads DistCp's log through log4j 1.x (GenericTestUtils.LogCapturer); the build"
        + " logs through slf4j-simple and keeps log4j off the classpath. DistCp with -useiterator itself is not"
        + " gfs-specific");
  }
}
