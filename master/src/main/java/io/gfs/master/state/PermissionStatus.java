package io.gfs.master.state;

import io.gfs.common.Check;

/**
 * A node's owner, group and POSIX permission bits (HDFS's PermissionStatus). Stored and returned; enforcement comes
 * with the security work. Immutable, so a node swaps all three at once and a concurrent listing never sees half a
 * change.
 */
public record PermissionStatus(String owner, String group, short permission) {
  /** Largest permission value: rwx for user, group and other plus setuid, setgid and sticky (07777). */
  public static final short PERMISSION_MAX = 07777;
  public static final short FILE_PERMISSION_DEFAULT = 0644;
  public static final short DIRECTORY_PERMISSION_DEFAULT = 0755;
  /** Owner and group of "/" on a new master (HDFS's defaults are the formatting user and "supergroup"). */
  public static final String ROOT_OWNER = "gfs";
  public static final String ROOT_GROUP = "supergroup";
  /** Longest owner or group name accepted. */
  public static final int NAME_CHARS_MAX = 256;
  public static final PermissionStatus ROOT = new PermissionStatus(ROOT_OWNER, ROOT_GROUP,
      DIRECTORY_PERMISSION_DEFAULT);

  public PermissionStatus {
    Check.argument(validName(owner), "bad owner name '%s'", owner);
    Check.argument(validName(group), "bad group name '%s'", group);
    Check.argument(validPermission(permission), "permission %s outside [0, 07777]", Integer.toOctalString(
        permission & 0xffff));
  }

  /** Non-empty, at most {@value #NAME_CHARS_MAX} characters, no control characters. */
  public static boolean validName(String name) {
    if (name == null || name.isEmpty() || name.length() > NAME_CHARS_MAX) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) { // a loop, not chars().noneMatch: this runs for every new node
      if (Character.isISOControl(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  public static boolean validPermission(int permission) {
    return permission >= 0 && permission <= PERMISSION_MAX;
  }

  public PermissionStatus withOwner(String newOwner) {
    return new PermissionStatus(newOwner, group, permission);
  }

  public PermissionStatus withGroup(String newGroup) {
    return new PermissionStatus(owner, newGroup, permission);
  }

  public PermissionStatus withPermission(short newPermission) {
    return new PermissionStatus(owner, group, newPermission);
  }

  /** A new child of a directory with these attributes: same owner and group, the given permission. */
  public PermissionStatus inherited(short childPermission) {
    return new PermissionStatus(owner, group, childPermission);
  }

  @Override
  public String toString() {
    return owner + ":" + group + ":" + Integer.toOctalString(permission);
  }
}
