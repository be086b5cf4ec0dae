package io.gfs.common.security;

import io.gfs.common.Check;
import java.util.List;

/**
 * Who calls the master: a short user name and its groups, as Hadoop's UserGroupInformation reports them on the client
 * (simple authentication: the master trusts what the client says, as HDFS does without Kerberos).
 */
public record Caller(String user, List<String> groups) {
  /** Longest user or group name accepted (the master's owner and group limit too). */
  public static final int NAME_CHARS_MAX = 256;
  /** Most groups one caller may name. */
  public static final int GROUPS_MAX = 1024;

  public Caller {
    Check.argument(validName(user), "bad user name '%s'", user);
    Check.notNull(groups, "groups");
    Check.argument(groups.size() <= GROUPS_MAX, "%s groups, more than %s", groups.size(), GROUPS_MAX);
    groups = List.copyOf(groups);
    for (String group : groups) {
      Check.argument(validName(group), "bad group name '%s' of user %s", group, user);
    }
  }

  public static Caller of(String user, String... groups) {
    return new Caller(user, List.of(groups));
  }

  /** Non-empty, at most {@value #NAME_CHARS_MAX} characters, no control characters. */
  public static boolean validName(String name) {
    if (name == null || name.isEmpty() || name.length() > NAME_CHARS_MAX) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) { // a plain loop: the stream was ~4% of a master worker's CPU (issue 6)
      if (Character.isISOControl(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  public boolean inGroup(String group) {
    return groups.contains(group);
  }
}
