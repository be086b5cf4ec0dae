package io.gfs.hadoop;

import io.gfs.client.GfsClient;
import io.gfs.client.GfsClientOptions;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.DelegateToFileSystem;

/**
 * gfs for Hadoop's FileContext: every call goes to a {@link GfsFileSystem}, one client shared per cluster. Hadoop finds an AbstractFileSystem only
 * through the key fs.AbstractFileSystem.gfs.impl = io.gfs.hadoop.Gfs; gfs-default.xml (a default resource once
 * GfsFileSystem is loaded) sets it, and core-site.xml can set it explicitly. The URI names the cluster:
 * gfs://CLUSTER/.
 */
public class Gfs extends DelegateToFileSystem {
  public Gfs(URI uri, Configuration conf) throws IOException, URISyntaxException {
    // authorityRequired false although gfs URIs name their cluster: Hadoop demands a default port of file systems
    // that require an authority, and a cluster name has none. The authority is kept all the same.
    super(uri, new SharedClientFileSystem(), conf, GfsFileSystem.SCHEME, false);
  }

  /**
   * A GfsFileSystem on the cluster's shared client: Hadoop never closes an AbstractFileSystem, so one client per
   * FileContext would leak ({@link SharedClients}).
   */
  static final class SharedClientFileSystem extends GfsFileSystem {
    @Override
    GfsClient openClient(String cluster, GfsClientOptions options) {
      return SharedClients.get(cluster, options);
    }

    @Override
    void closeClient(GfsClient opened) {
      // Shared with every other FileContext on this cluster: it lives as long as the JVM.
    }
  }
}
