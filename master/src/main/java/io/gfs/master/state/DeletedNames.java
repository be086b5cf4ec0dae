package io.gfs.master.state;

import io.gfs.common.GfsPaths;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hidden names of deleted files and directories [0075]: {@code .gfs-deleted.<deletionMillis>[-<n>].<name>} in
 * the same directory. The name carries the deletion time, so the namespace scan needs nothing else to decide when to
 * purge, and the original name, so undelete needs nothing else to bring it back. The prefix is reserved: no create,
 * mkdirs or rename may make a name that starts with it.
 */
public final class DeletedNames {
  public static final String PREFIX = ".gfs-deleted.";
  private static final Pattern HIDDEN = Pattern.compile(Pattern.quote(PREFIX) + "(\\d{1,19})(?:-(\\d{1,9}))?\\.(.+)",
      Pattern.DOTALL);

  /** A parsed hidden name: when it was deleted, a tie-breaker for deletes in one millisecond, and its old name. */
  public record Parsed(long deletionMillis, int sequence, String originalName) implements Comparable<Parsed> {
    @Override
    public int compareTo(Parsed other) {
      int c = Long.compare(deletionMillis, other.deletionMillis);
      return c != 0 ? c : Integer.compare(sequence, other.sequence);
    }
  }

  private DeletedNames() {}

  /** Deleted entries and the snapshot directory: left out of listings, summaries and snapshots. */
  public static boolean isHidden(String name) {
    return name.startsWith(PREFIX) || name.equals(SnapshotNames.DIRECTORY);
  }

  /** Whether any component of the path is a hidden name (the path is deleted or inside something deleted). */
  public static boolean anyHidden(List<String> components) {
    return components.stream().anyMatch(DeletedNames::isHidden);
  }

  public static String hide(String name, long deletionMillis, int sequence) {
    return PREFIX + deletionMillis + (sequence == 0 ? "" : "-" + sequence) + "." + name;
  }

  public static Optional<Parsed> parse(String name) {
    Matcher m = HIDDEN.matcher(name);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Parsed(Long.parseLong(m.group(1)), m.group(2) == null ? 0 : Integer.parseInt(m.group(2)),
          m.group(3)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Whether the hidden form of the path still fits the path limits (else the delete purges at once). */
  static boolean fits(List<String> components, String hiddenName) {
    if (hiddenName.getBytes(StandardCharsets.UTF_8).length > GfsPaths.COMPONENT_BYTES_MAX) {
      return false;
    }
    String parent = GfsPaths.join(components.subList(0, components.size() - 1));
    return (parent.length() + 1 + hiddenName.length()) * 3L <= GfsPaths.PATH_BYTES_MAX
        || (parent + "/" + hiddenName).getBytes(StandardCharsets.UTF_8).length <= GfsPaths.PATH_BYTES_MAX;
  }
}
