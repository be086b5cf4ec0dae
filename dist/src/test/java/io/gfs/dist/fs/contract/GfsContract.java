package io.gfs.dist.fs.contract;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.contract.AbstractFSContract;

/** Hadoop's FileSystem contract bound to gfs: the options in contract/gfs.xml, a file system on the class's cluster. */
public final class GfsContract extends AbstractFSContract {
  public static final String CONTRACT_XML = "contract/gfs.xml";

  private final GfsContractCluster cluster;

  public GfsContract(Configuration conf, GfsContractCluster cluster) {
    super(conf);
    this.cluster = cluster;
    addConfResource(CONTRACT_XML);
  }

  @Override
  public FileSystem getTestFileSystem() throws IOException {
    return cluster.fileSystem(getConf());
  }

  @Override
  public String getScheme() {
    return "gfs";
  }

  @Override
  public Path getTestPath() {
    return new Path("/test");
  }
}
