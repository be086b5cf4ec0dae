package io.gfs.zk;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;

/**
 * Who may change the cluster's znodes (issue 4). {@code open}: everyone may do everything (ZooKeeper's
 * world:anyone:cdrwa, the default, for a private ensemble). {@code creator}: the identity that created a znode may do
 * everything with it, everyone else may only read it (creator:cdrwa + world:anyone:r): clients and chunkservers resolve
 * the alias and list shadows without credentials, but only masters holding the credentials ({@code auth}, e.g.
 * {@code digest:gfs:secret}) can move the alias, raise the epoch, join the election or register shadows. Without
 * {@code creator}, anyone who reaches the ensemble can point the cluster's clients at a server of their choosing.
 */
public record ZooKeeperAcl(Mode mode, String scheme, byte[] auth) {
  public enum Mode { OPEN, CREATOR }

  public static final ZooKeeperAcl OPEN = new ZooKeeperAcl(Mode.OPEN, "", new byte[0]);

  public ZooKeeperAcl {
    if (mode == Mode.CREATOR && (scheme == null || scheme.isEmpty() || auth == null || auth.length == 0)) {
      throw new IllegalArgumentException("ZooKeeper ACL 'creator' needs credentials (gfs.zookeeper.auth = "
          + "scheme:credentials, e.g. digest:gfs:secret)");
    }
    auth = auth == null ? new byte[0] : auth.clone();
    scheme = scheme == null ? "" : scheme;
  }

  /**
   * mode "open" or "creator"; auth "" or "scheme:credentials" (for digest: digest:user:password), the credentials this
   * process authenticates its session with (a reader may authenticate too; it is harmless).
   */
  public static ZooKeeperAcl parse(String mode, String auth) {
    Mode m;
    try {
      m = Mode.valueOf(mode.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("ZooKeeper ACL mode must be open or creator, not '" + mode + "'");
    }
    String a = auth == null ? "" : auth.trim();
    if (a.isEmpty()) {
      return m == Mode.OPEN ? OPEN : new ZooKeeperAcl(m, "", new byte[0]);
    }
    int colon = a.indexOf(':');
    if (colon <= 0 || colon == a.length() - 1) {
      throw new IllegalArgumentException("ZooKeeper auth must be scheme:credentials, e.g. digest:gfs:secret");
    }
    return new ZooKeeperAcl(m, a.substring(0, colon), a.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
  }

  public boolean authenticates() {
    return auth.length > 0;
  }

  /** The ACL every znode this process creates gets. */
  public List<ACL> acl() {
    if (mode == Mode.OPEN) {
      return ZooDefs.Ids.OPEN_ACL_UNSAFE;
    }
    List<ACL> acl = new ArrayList<>(ZooDefs.Ids.CREATOR_ALL_ACL);
    acl.addAll(ZooDefs.Ids.READ_ACL_UNSAFE);
    // Not List.copyOf: ZooKeeper's ACL validation asks contains(null), which immutable lists refuse with an NPE.
    return java.util.Collections.unmodifiableList(acl);
  }

  ACLProvider provider() {
    List<ACL> acl = acl();
    return new ACLProvider() {
      @Override
      public List<ACL> getDefaultAcl() {
        return acl;
      }

      @Override
      public List<ACL> getAclForPath(String path) {
        return acl;
      }
    };
  }

  @Override
  public String toString() {
    return mode.name().toLowerCase(Locale.ROOT) + (authenticates() ? " (authenticated as " + scheme + ")" : "");
  }
}
