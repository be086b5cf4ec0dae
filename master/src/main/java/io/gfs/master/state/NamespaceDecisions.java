package io.gfs.master.state;

import io.gfs.common.GfsPaths;
import java.util.List;

/**
 * Decides mkdirs, create and rename: the namespace rules [0056], the reserved names of deleted entries, and the owner,
 * group and permission a new node gets (absent ones from the nearest existing parent directory). Like every decide
 * method these run under the caller's path locks and either refuse or return the record to log.
 */
final class NamespaceDecisions {
  private final NamespaceTree tree;
  private final int replicationDefault;

  NamespaceDecisions(NamespaceTree tree, int replicationDefault) {
    this.tree = tree;
    this.replicationDefault = replicationDefault;
  }

  /**
   * A null owner or group takes the nearest existing parent directory's; a negative permission means the default
   * directory permission. The new directory's attributes go into the record, so replay needs no defaults.
   */
  Decision mkdirs(List<String> c, String path, String owner, String group, short permission, long nowMillis) {
    NamespaceTree.Resolution r = tree.resolve(c);
    if (r.exists()) {
      return r.node().isDirectory() ? Decision.noop(true)
          : Decision.reject(StateError.ALREADY_EXISTS, "%s exists and is a file", path);
    }
    if (r.ancestorIsFile()) {
      return Decision.reject(StateError.PARENT_NOT_DIRECTORY, "a parent of %s is a file", path);
    }
    if (DeletedNames.anyHidden(c)) {
      return reserved(path);
    }
    Decision bad = badAttributes(path, owner, group, permission);
    if (bad != null) {
      return bad;
    }
    return Decision.log(new LogRecord.Mkdir(GfsPaths.join(c), nowMillis,
        attributes(c, owner, group, permission, PermissionStatus.DIRECTORY_PERMISSION_DEFAULT)));
  }

  /**
   * replication 0 means the default; a null owner or group takes the nearest existing parent directory's (as HDFS
   * does); a negative permission means the default file permission.
   */
  Decision create(List<String> c, String path, boolean overwrite, boolean createParent, int replication,
      String owner, String group, short permission, long nowMillis) {
    if (replication < 0 || replication > MasterState.REPLICATION_MAX) {
      return Decision.reject(StateError.INVALID_ARGUMENT, "replication %s outside [0, %s]", replication,
          MasterState.REPLICATION_MAX);
    }
    Decision bad = DeletedNames.anyHidden(c) ? reserved(path) : badAttributes(path, owner, group, permission);
    if (bad != null) {
      return bad;
    }
    NamespaceTree.Resolution r = tree.resolve(c);
    if (c.isEmpty() || (r.exists() && r.node().isDirectory())) {
      return Decision.reject(StateError.IS_DIRECTORY, "%s is a directory", path);
    }
    if (r.ancestorIsFile()) {
      return Decision.reject(StateError.PARENT_NOT_DIRECTORY, "a parent of %s is a file", path);
    }
    if (r.parentMissing() && !createParent) {
      return Decision.reject(StateError.NOT_FOUND, "parent directory of %s does not exist", path);
    }
    if (r.exists() && !overwrite) {
      return Decision.reject(StateError.ALREADY_EXISTS, "%s already exists", path);
    }
    int effective = replication == 0 ? replicationDefault : replication;
    return Decision.log(new LogRecord.Create(GfsPaths.join(c), effective, nowMillis, overwrite, createParent,
        attributes(c, owner, group, permission, PermissionStatus.FILE_PERMISSION_DEFAULT)));
  }

  private static Decision reserved(String path) {
    return Decision.reject(StateError.INVALID_PATH, "%s: names starting with '%s' are reserved for deleted entries",
        path, DeletedNames.PREFIX);
  }

  private static Decision badAttributes(String path, String owner, String group, short permission) {
    boolean badOwner = owner != null && !PermissionStatus.validName(owner);
    if (badOwner || (group != null && !PermissionStatus.validName(group))) {
      return Decision.reject(StateError.INVALID_ARGUMENT, "owner '%s' or group '%s' of %s is empty, longer than %s "
          + "characters or has control characters", owner, group, path, PermissionStatus.NAME_CHARS_MAX);
    }
    if (permission > PermissionStatus.PERMISSION_MAX) {
      return Decision.reject(StateError.INVALID_ARGUMENT, "permission %s of %s above 07777",
          Integer.toOctalString(permission), path);
    }
    return null;
  }

  private PermissionStatus attributes(List<String> c, String owner, String group, short permission,
      short permissionDefault) {
    PermissionStatus parent = tree.nearestDirectory(c.subList(0, c.size() - 1)).permission();
    return new PermissionStatus(owner == null ? parent.owner() : owner, group == null ? parent.group() : group,
        permission < 0 ? permissionDefault : permission);
  }

  Decision rename(List<String> from, String source, List<String> to, String destination, long nowMillis) {
    NamespaceTree.Resolution src = tree.resolve(from);
    if (!src.exists()) {
      return Decision.reject(StateError.NOT_FOUND, "rename source %s does not exist", source);
    }
    if (from.equals(to)) {
      return Decision.noop(true);
    }
    if (from.isEmpty()) {
      return Decision.reject(StateError.INVALID_ARGUMENT, "cannot rename /");
    }
    if (to.size() > from.size() && to.subList(0, from.size()).equals(from)) {
      return Decision.reject(StateError.INVALID_ARGUMENT, "cannot rename %s into its own subtree %s", source,
          destination);
    }
    NamespaceTree.Resolution dst = tree.resolve(to);
    if (DeletedNames.anyHidden(to)) {
      return reserved(destination);
    }
    if (dst.exists()) {
      return Decision.reject(StateError.ALREADY_EXISTS, "rename destination %s exists", destination);
    }
    if (dst.ancestorIsFile()) {
      return Decision.reject(StateError.PARENT_NOT_DIRECTORY, "a parent of %s is a file", destination);
    }
    if (dst.parentMissing()) {
      return Decision.reject(StateError.NOT_FOUND, "parent directory of %s does not exist", destination);
    }
    return Decision.log(new LogRecord.Rename(GfsPaths.join(from), GfsPaths.join(to), nowMillis));
  }
}
