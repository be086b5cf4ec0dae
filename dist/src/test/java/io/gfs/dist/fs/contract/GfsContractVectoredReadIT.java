package io.gfs.dist.fs.contract;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.contract.AbstractContractVectoredReadTest;
import org.apache.hadoop.fs.contract.AbstractFSContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Hadoop's VectoredRead contract suite against gfs, once per buffer type (heap and direct). */
class GfsContractVectoredReadIT extends AbstractContractVectoredReadTest {
  @RegisterExtension
  static final GfsContractCluster CLUSTER = new GfsContractCluster();

  GfsContractVectoredReadIT(String bufferType) {
    super(bufferType);
  }

  @Override
  protected AbstractFSContract createContract(Configuration conf) {
    return new GfsContract(conf, CLUSTER);
  }
}
