package io.gfs.dist.fs.contract;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.contract.AbstractContractSeekTest;
import org.apache.hadoop.fs.contract.AbstractFSContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Hadoop's Seek contract suite against gfs. */
class GfsContractSeekIT extends AbstractContractSeekTest {
  @RegisterExtension
  static final GfsContractCluster CLUSTER = new GfsContractCluster();

  @Override
  protected AbstractFSContract createContract(Configuration conf) {
    return new GfsContract(conf, CLUSTER);
  }
}
