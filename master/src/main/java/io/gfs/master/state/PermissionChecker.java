package io.gfs.master.state;

import io.gfs.common.Check;
import io.gfs.common.security.Caller;

/**
 * HDFS's permission rules (FSPermissionChecker) on one node's owner, group and mode bits: the owner's bits apply to
 * the owner, the group's to its members, the others' to everyone else (the first class that matches, only that one);
 * the superuser (the master's own user, or a member of the supergroup) passes every check; a sticky directory lets only
 * the owner of an entry or of the directory remove or rename the entry. Pure: decides, never looks anything up.
 */
public final class PermissionChecker {
  public static final int READ = 4;
  public static final int WRITE = 2;
  public static final int EXECUTE = 1;
  public static final int ALL = READ | WRITE | EXECUTE;
  /** The sticky bit on a directory (01000), as /tmp has it. */
  public static final int STICKY_BIT = 01000;

  /** enabled false: every check passes (gfs.master.permissions.enabled=false), attributes are still stored. */
  public record Settings(boolean enabled, String superuser, String supergroup) {
    public Settings {
      Check.argument(Caller.validName(superuser), "bad superuser name '%s'", superuser);
      Check.argument(Caller.validName(supergroup), "bad supergroup name '%s'", supergroup);
    }
  }

  private final Settings settings;

  public PermissionChecker(Settings settings) {
    this.settings = Check.notNull(settings, "settings");
  }

  public Settings settings() {
    return settings;
  }

  /** Whom a call without an identity acts as: the master's own user (see docs/operations.md, Security). */
  public Caller masterUser() {
    return Caller.of(settings.superuser(), settings.supergroup());
  }

  public boolean exempt(Caller caller) {
    return !settings.enabled() || isSuperuser(caller);
  }

  public boolean isSuperuser(Caller caller) {
    return caller.user().equals(settings.superuser()) || caller.inGroup(settings.supergroup());
  }

  /** Whether the mode bits give caller every action in actionBits (the superuser aside). */
  public static boolean allows(Caller caller, PermissionStatus status, int actionBits) {
    int mode = status.permission();
    int bits;
    if (caller.user().equals(status.owner())) {
      bits = mode >> 6;
    } else if (caller.inGroup(status.group())) {
      bits = mode >> 3;
    } else {
      bits = mode;
    }
    return (bits & actionBits & ALL) == (actionBits & ALL);
  }

  void check(Caller caller, PermissionStatus status, boolean directory, int actionBits, String path) {
    if (!exempt(caller) && !allows(caller, status, actionBits)) {
      throw denied(caller, actionName(actionBits), status, directory, path);
    }
  }

  /** setPermission, setOwner and snapshots: only the owner (or the superuser). */
  void checkOwner(Caller caller, PermissionStatus status, boolean directory, String path) {
    if (!exempt(caller) && !caller.user().equals(status.owner())) {
      throw StateException.of(StateError.PERMISSION_DENIED, "Permission denied. user=%s is not the owner of inode=%s "
          + "(%s)", caller.user(), path, describe(status, directory));
    }
  }

  /** Removing or renaming child out of a sticky directory: the child's or the directory's owner only. */
  void checkSticky(Caller caller, PermissionStatus parent, PermissionStatus child, boolean childDirectory,
      String path) {
    if (exempt(caller) || (parent.permission() & STICKY_BIT) == 0) {
      return;
    }
    if (!caller.user().equals(parent.owner()) && !caller.user().equals(child.owner())) {
      throw StateException.of(StateError.PERMISSION_DENIED, "Permission denied by sticky bit: user=%s, path=\"%s\":%s, "
          + "parent owned by %s", caller.user(), path, describe(child, childDirectory), parent.owner());
    }
  }

  /** setOwner: changing the owner is the superuser's; the group only to one of the caller's own. */
  void checkOwnerChange(Caller caller, String owner, String group, String path) {
    if (exempt(caller)) {
      return;
    }
    if (owner != null && !owner.equals(caller.user())) {
      throw StateException.of(StateError.PERMISSION_DENIED, "User %s is not a super user (non-super user cannot "
          + "change owner of %s to %s)", caller.user(), path, owner);
    }
    if (group != null && !caller.inGroup(group)) {
      throw StateException.of(StateError.PERMISSION_DENIED, "User %s does not belong to %s (group of %s)",
          caller.user(), group, path);
    }
  }

  private static StateException denied(Caller caller, String action, PermissionStatus status, boolean directory,
      String path) {
    // HDFS's wording, which tools and people recognise.
    return StateException.of(StateError.PERMISSION_DENIED, "Permission denied: user=%s, access=%s, inode=\"%s\":%s",
        caller.user(), action, path, describe(status, directory));
  }

  static String describe(PermissionStatus status, boolean directory) {
    return status.owner() + ":" + status.group() + ":" + (directory ? "d" : "-") + symbolic(status.permission());
  }

  /** rwxr-xr-x, with t/T for the sticky bit as ls shows it. */
  static String symbolic(int mode) {
    StringBuilder out = new StringBuilder(9);
    for (int shift = 6; shift >= 0; shift -= 3) {
      int bits = mode >> shift;
      out.append((bits & READ) != 0 ? 'r' : '-').append((bits & WRITE) != 0 ? 'w' : '-')
          .append((bits & EXECUTE) != 0 ? 'x' : '-');
    }
    if ((mode & STICKY_BIT) != 0) {
      out.setCharAt(8, out.charAt(8) == 'x' ? 't' : 'T');
    }
    return out.toString();
  }

  static String actionName(int actionBits) {
    return switch (actionBits & ALL) {
      case READ -> "READ";
      case WRITE -> "WRITE";
      case EXECUTE -> "EXECUTE";
      case READ | WRITE -> "READ_WRITE";
      case READ | EXECUTE -> "READ_EXECUTE";
      case WRITE | EXECUTE -> "WRITE_EXECUTE";
      case ALL -> "ALL";
      default -> "NONE";
    };
  }
}
