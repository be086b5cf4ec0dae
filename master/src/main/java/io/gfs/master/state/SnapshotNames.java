package io.gfs.master.state;

import java.util.ArrayList;
import java.util.List;

/**
 * Where snapshots live in the namespace [0113-0115], HDFS style: a snapshot named s of directory /d is the read-only
 * tree /d/.snapshot/s; a snapshot of file /d/f is stored as /d/.snapshot/.snapshot/f/s and read as /d/f/.snapshot/s (a
 * file has no children, so its snapshots sit in its directory's snapshot area, under a nested ".snapshot" that no
 * snapshot name can be and that listings leave out). ".snapshot" is hidden from listings like deleted entries, reserved
 * (no create, mkdirs or rename may make it), and nothing beneath it may change except through the snapshot calls.
 */
public final class SnapshotNames {
  public static final String DIRECTORY = ".snapshot";

  private SnapshotNames() {}

  /** Whether any component is the snapshot directory: the path is inside a snapshot (read-only). */
  public static boolean inSnapshot(List<String> components) {
    return components.contains(DIRECTORY);
  }

  /** A valid snapshot name: one path component, not starting with a dot, not the snapshot directory itself. */
  static boolean validName(String name) {
    return name != null && !name.isEmpty() && !name.startsWith(".") && !name.contains("/")
        && !DeletedNames.isHidden(name);
  }

  /** The directory holding the snapshots of the node at components (a directory or a file). */
  static List<String> area(List<String> components, boolean isFile) {
    List<String> out = new ArrayList<>(components.subList(0, isFile ? components.size() - 1 : components.size()));
    out.add(DIRECTORY);
    if (isFile) {
      out.add(DIRECTORY);
      out.add(components.get(components.size() - 1));
    }
    return out;
  }

  /**
   * The stored form of a path a client names: {@code /d/f/.snapshot/s/...} where /d/f is a file becomes
   * {@code /d/.snapshot/.snapshot/f/s/...}; every other path is itself. isFile answers for a prefix of the path.
   */
  static List<String> storedForm(List<String> components, java.util.function.Predicate<List<String>> isFile) {
    int i = components.indexOf(DIRECTORY);
    if (i <= 0 || !isFile.test(components.subList(0, i))) {
      return components;
    }
    List<String> out = new ArrayList<>(area(components.subList(0, i), true));
    out.addAll(components.subList(i + 1, components.size()));
    return out;
  }
}
