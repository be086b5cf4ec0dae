package io.gfs.dist.fs.contract;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.contract.AbstractContractGetEnclosingRoot;
import org.apache.hadoop.fs.contract.AbstractFSContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Hadoop's GetEnclosingRoot contract suite against gfs (one namespace: the enclosing root is always "/"). */
class GfsContractGetEnclosingRootIT extends AbstractContractGetEnclosingRoot {
  @RegisterExtension
  static final GfsContractCluster CLUSTER = new GfsContractCluster();

  @Override
  protected AbstractFSContract createContract(Configuration conf) {
    return new GfsContract(conf, CLUSTER);
  }
}
