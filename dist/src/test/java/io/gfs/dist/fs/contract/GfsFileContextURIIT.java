package io.gfs.dist.fs.contract;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileContextURIBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Hadoop's FileContextURIBase (two FileContexts on one file system, fully qualified URIs) against gfs. */
class GfsFileContextURIIT extends FileContextURIBase {
  @RegisterExtension
  static final GfsContractCluster CLUSTER = new GfsContractCluster();

  @Override
  @BeforeEach
  public void setUp() throws Exception {
    Configuration conf = CLUSTER.clientConfiguration(new Configuration());
    fc1 = FileContext.getFileContext(CLUSTER.cluster().uri(), conf);
    fc2 = FileContext.getFileContext(CLUSTER.cluster().uri(), conf);
    super.setUp();
  }
}
