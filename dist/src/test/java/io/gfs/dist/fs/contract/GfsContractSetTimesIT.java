package io.gfs.dist.fs.contract;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.contract.AbstractContractSetTimesTest;
import org.apache.hadoop.fs.contract.AbstractFSContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Hadoop's SetTimes contract suite against gfs. */
class GfsContractSetTimesIT extends AbstractContractSetTimesTest {
  @RegisterExtension
  static final GfsContractCluster CLUSTER = new GfsContractCluster();

  @Override
  protected AbstractFSContract createContract(Configuration conf) {
    return new GfsContract(conf, CLUSTER);
  }
}
