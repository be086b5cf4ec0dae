package io.gfs.hadoop;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.DelegateToFileSystem;

/**
 * gfs for Hadoop's FileContext: every call goes to a {@link GfsFileSystem}. Hadoop finds an AbstractFileSystem only
 * through the key fs.AbstractFileSystem.gfs.impl = io.gfs.hadoop.Gfs; gfs-default.xml (a default resource once
 * GfsFileSystem is loaded) sets it, and core-site.xml can set it explicitly. The URI names the cluster:
 * gfs://CLUSTER/.
 */
public class Gfs extends DelegateToFileSystem {
  public Gfs(URI uri, Configuration conf) throws IOException, URISyntaxException {
    super(uri, new GfsFileSystem(), conf, GfsFileSystem.SCHEME, true);
  }

  /** No port in gfs URIs: the authority is a cluster name resolved through ZooKeeper or fs.gfs.master.address. */
  @Override
  public int getUriDefaultPort() {
    return -1;
  }
}
