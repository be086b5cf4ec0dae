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
    // authorityRequired false although gfs URIs name their cluster: Hadoop demands a default port of file systems
    // that require an authority, and a cluster name has none. The authority is kept all the same.
    super(uri, new GfsFileSystem(), conf, GfsFileSystem.SCHEME, false);
  }
}
