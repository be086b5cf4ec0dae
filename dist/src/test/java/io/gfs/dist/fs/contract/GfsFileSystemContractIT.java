package io.gfs.dist.fs.contract;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystemContractBaseTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Hadoop's older FileSystemContractBaseTest against gfs (the GCS connector and HDFS run it too). */
class GfsFileSystemContractIT extends FileSystemContractBaseTest {
  @RegisterExtension
  static final GfsContractCluster CLUSTER = new GfsContractCluster();

  @BeforeEach
  void bind() throws Exception {
    fs = CLUSTER.fileSystem(new Configuration());
  }

  @Override
  protected int getBlockSize() {
    return (int) GfsContractCluster.CHUNK_SIZE_BYTES;
  }
}
