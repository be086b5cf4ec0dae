package io.gfs.zk;

import io.gfs.common.Check;
import java.util.regex.Pattern;

/**
 * Where gfs keeps its state in ZooKeeper. Everything of one cluster sits under {root}/clusters/{cluster}:
 * <pre>
 *   {root}/clusters/{cluster}/alias      ephemeral; "host:port" of the ACTIVE master: the canonical name [0122]
 *   {root}/clusters/{cluster}/election   Curator LeaderLatch participants (ephemeral sequential), one per master
 *   {root}/clusters/{cluster}/epoch      persistent; decimal epoch of the latest term, raised by compare-and-set
 *   {root}/clusters/{cluster}/shadows/   ephemeral children, one "host:port" per shadow master [0123]
 * </pre>
 * Only the elected master writes the alias and the epoch; standbys and shadows only read them.
 *
 * <p>ACLs ({@link ZooKeeperAcl}): every znode gets the creating process's ACL. Under {@code open} (the default)
 * that is world:anyone:cdrwa. Under {@code creator} it is creator:cdrwa plus world:anyone:r, the creator being the
 * masters' shared credentials (e.g. digest:gfs:secret): readers (clients, chunkservers) need no credentials, and nobody
 * without them can delete or overwrite the alias or the epoch, join the election or register a shadow (ZnodeAclIT).
 */
public final class ZnodeLayout {
  private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");

  private ZnodeLayout() {}

  public static String clusterNode(String root, String cluster) {
    validateCluster(cluster);
    Check.argument(root != null && root.startsWith("/") && (root.length() == 1 || !root.endsWith("/")),
        "ZooKeeper root '%s' must be an absolute znode path without a trailing '/'", root);
    return (root.equals("/") ? "" : root) + "/clusters/" + cluster;
  }

  public static String alias(String root, String cluster) {
    return clusterNode(root, cluster) + "/alias";
  }

  public static String election(String root, String cluster) {
    return clusterNode(root, cluster) + "/election";
  }

  public static String epoch(String root, String cluster) {
    return clusterNode(root, cluster) + "/epoch";
  }

  public static String shadows(String root, String cluster) {
    return clusterNode(root, cluster) + "/shadows";
  }

  /** A cluster name is the authority of gfs:// URIs, so it is kept to characters that need no escaping. */
  public static void validateCluster(String cluster) {
    Check.argument(cluster != null && CLUSTER_NAME.matcher(cluster).matches(),
        "cluster name '%s' must be 1-63 letters, digits, '-' or '_', starting with a letter or digit", cluster);
  }
}
