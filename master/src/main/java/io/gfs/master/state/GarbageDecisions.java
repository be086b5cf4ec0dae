package io.gfs.master.state;

import io.gfs.common.Check;
import io.gfs.common.GfsPaths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lazy garbage collection [0075-0078]. A delete renames the entry to a hidden name holding the deletion time
 * ({@link DeletedNames}) with an ordinary RENAME record; undelete renames it back; the namespace scan finds hidden
 * entries older than the retention and purges them with an ordinary DELETE record, which releases their chunks. The
 * chunkservers learn in heartbeat replies that those chunks no longer exist and delete them [0076]. Deleting a hidden
 * entry again purges it at once; so does every delete when the retention is 0, inside something already deleted, and
 * when the hidden name would not fit the path limits.
 */
final class GarbageDecisions {
  private final NamespaceTree tree;
  private final NamespaceQueries queries;
  private final long retentionMillis;

  GarbageDecisions(NamespaceTree tree, NamespaceQueries queries, long retentionMillis) {
    Check.argument(retentionMillis >= 0, "retention %s < 0", retentionMillis);
    this.tree = tree;
    this.queries = queries;
    this.retentionMillis = retentionMillis;
  }

  /** Answer false (nothing logged) when the path does not exist. Removing "/" purges its children and keeps it. */
  Decision remove(List<String> c, boolean recursive, long nowMillis) {
    NamespaceTree.Resolution r = tree.resolve(c);
    if (!r.exists()) {
      return Decision.noop(false);
    }
    boolean hasChildren = r.node() instanceof DirectoryNode directory && hasVisibleChildren(directory);
    if (hasChildren && !recursive) {
      return Decision.reject(StateError.DIRECTORY_NOT_EMPTY, "directory %s is not empty", GfsPaths.join(c));
    }
    Map.Entry<String, List<String>> withSnapshots =
        r.node() instanceof DirectoryNode directory ? withSnapshots(directory, c) : null;
    if (withSnapshots != null) {
      // As HDFS refuses to delete a snapshottable directory that has snapshots: they would go with it, unasked.
      return Decision.reject(StateError.DIRECTORY_NOT_EMPTY, "cannot delete %s: %s has snapshots (%s); delete them "
          + "first", c.isEmpty() ? "/" : GfsPaths.join(c), withSnapshots.getKey(),
          String.join(", ", withSnapshots.getValue()));
    }
    if (c.isEmpty()) {
      // "/" itself is never removed; its children are purged at once (there is no hidden name for them all).
      return hasChildren ? Decision.log(new LogRecord.Delete("/", true)) : Decision.noop(false);
    }
    long retention = tree.effectiveRetention(c.subList(0, c.size() - 1), retentionMillis);
    String hidden = retention == 0 || DeletedNames.anyHidden(c) ? null : hiddenName(c, r.parent(), nowMillis);
    if (hidden == null) {
      return Decision.log(new LogRecord.Delete(GfsPaths.join(c), recursive));
    }
    List<String> destination = new ArrayList<>(c.subList(0, c.size() - 1));
    destination.add(hidden);
    return Decision.log(new LogRecord.Rename(GfsPaths.join(c), GfsPaths.join(destination), nowMillis));
  }

  /**
   * The first directory at or below this one (outside snapshot areas) whose snapshot area holds any snapshot, of the
   * directory or of a file in it; null when none does.
   */
  private static Map.Entry<String, List<String>> withSnapshots(DirectoryNode top, List<String> c) {
    Deque<Map.Entry<String, DirectoryNode>> pending = new ArrayDeque<>();
    pending.push(Map.entry(c.isEmpty() ? "/" : GfsPaths.join(c), top));
    while (!pending.isEmpty()) {
      Map.Entry<String, DirectoryNode> next = pending.pop();
      List<String> names = next.getValue().children.get(SnapshotNames.DIRECTORY) instanceof DirectoryNode area
          ? snapshotNames(area) : List.of();
      if (!names.isEmpty()) {
        return Map.entry(next.getKey(), names);
      }
      next.getValue().children.forEach((name, child) -> {
        if (child instanceof DirectoryNode directory && !name.equals(SnapshotNames.DIRECTORY)) {
          pending.push(Map.entry(next.getKey().equals("/") ? "/" + name : next.getKey() + "/" + name, directory));
        }
      });
    }
    return null;
  }

  /** The snapshots stored in a directory's area: its own, and "file/name" for its files'. */
  private static List<String> snapshotNames(DirectoryNode area) {
    List<String> names = new ArrayList<>();
    area.children.forEach((name, child) -> {
      if (name.equals(SnapshotNames.DIRECTORY) && child instanceof DirectoryNode files) {
        files.children.forEach((file, perFile) -> {
          if (perFile instanceof DirectoryNode snapshots) {
            snapshots.children.keySet().forEach(snapshot -> names.add(file + "/" + snapshot));
          }
        });
      } else {
        names.add(name);
      }
    });
    return names;
  }

  private static boolean hasVisibleChildren(DirectoryNode directory) {
    return directory.children.keySet().stream().anyMatch(name -> !DeletedNames.isHidden(name));
  }

  /** A free hidden name for the entry in its parent, or null when none fits the path limits. */
  private static String hiddenName(List<String> c, DirectoryNode parent, long nowMillis) {
    String name = c.get(c.size() - 1);
    for (int sequence = 0; ; sequence++) {
      String hidden = DeletedNames.hide(name, nowMillis, sequence);
      if (!parent.children.containsKey(hidden)) {
        return DeletedNames.fits(c, hidden) ? hidden : null;
      }
    }
  }

  /**
   * Brings back the newest deleted entry that had this path; false when there is none or its directory is gone. The
   * caller holds a write lock on the parent directory, so the scan cannot purge the entry between decide and apply.
   */
  Decision undelete(List<String> c, String path, long nowMillis) {
    if (c.isEmpty() || DeletedNames.anyHidden(c)) {
      return Decision.reject(StateError.INVALID_ARGUMENT, "undelete takes the path the entry had, not %s", path);
    }
    NamespaceTree.Resolution r = tree.resolve(c);
    if (r.ancestorIsFile()) {
      return Decision.reject(StateError.PARENT_NOT_DIRECTORY, "a parent of %s is a file", path);
    }
    if (r.exists()) {
      return Decision.reject(StateError.ALREADY_EXISTS, "%s exists; move it away before undeleting", path);
    }
    if (r.parent() == null) {
      return Decision.noop(false);
    }
    String name = c.get(c.size() - 1);
    Optional<Map.Entry<DeletedNames.Parsed, String>> newest = r.parent().children.keySet().stream()
        .flatMap(hidden -> DeletedNames.parse(hidden).filter(p -> p.originalName().equals(name))
            .map(p -> Map.entry(p, hidden)).stream())
        .max(Map.Entry.comparingByKey());
    if (newest.isEmpty()) {
      return Decision.noop(false);
    }
    List<String> source = new ArrayList<>(c.subList(0, c.size() - 1));
    source.add(newest.get().getValue());
    return Decision.log(new LogRecord.Rename(GfsPaths.join(source), GfsPaths.join(c), nowMillis));
  }

  /** The scan's purge of one hidden entry, decided again under its lock (it may have been undeleted meanwhile). */
  Decision purge(List<String> c, long nowMillis) {
    NamespaceTree.Resolution r = tree.resolve(c);
    if (c.isEmpty() || !r.exists()) {
      return Decision.noop(false);
    }
    Optional<DeletedNames.Parsed> parsed = DeletedNames.parse(c.get(c.size() - 1));
    if (parsed.isEmpty() || !expired(parsed.get(), tree.effectiveRetention(c.subList(0, c.size() - 1),
        retentionMillis), nowMillis)) {
      return Decision.noop(false);
    }
    return Decision.log(new LogRecord.Delete(GfsPaths.join(c), true));
  }

  /** retention: the deleted entry's directory's (its policy, or the master's). */
  private static boolean expired(DeletedNames.Parsed parsed, long retention, long nowMillis) {
    return nowMillis - parsed.deletionMillis() >= retention;
  }

  /**
   * The namespace scan [0076]: paths of hidden entries past the retention, at most countMax, outermost first (a
   * purge takes everything below it along). Walks the live tree without locks: each purge is decided again under
   * its own.
   */
  List<String> expired(long nowMillis, int countMax) {
    List<String> out = new ArrayList<>();
    Deque<Map.Entry<String, DirectoryNode>> pending = new ArrayDeque<>();
    Deque<Long> retentions = new ArrayDeque<>(); // each pending directory's effective retention, walked down with it
    pending.push(Map.entry("", tree.root()));
    retentions.push(retentionMillis);
    while (!pending.isEmpty() && out.size() < countMax) {
      Map.Entry<String, DirectoryNode> next = pending.pop();
      long inherited = retentions.pop();
      long retention = next.getValue().policyGcRetentionMillis == Policy.INHERIT ? inherited
          : next.getValue().policyGcRetentionMillis;
      for (Map.Entry<String, Node> child : next.getValue().children.entrySet()) {
        String path = next.getKey() + "/" + child.getKey();
        Optional<DeletedNames.Parsed> parsed = DeletedNames.parse(child.getKey());
        if (parsed.isPresent() && expired(parsed.get(), retention, nowMillis)) {
          out.add(path);
          if (out.size() == countMax) {
            break;
          }
        } else if (child.getValue() instanceof DirectoryNode directory) {
          pending.push(Map.entry(path, directory));
          retentions.push(retention);
        }
      }
    }
    return out;
  }

  /** The hidden entries directly in a directory, newest deletion first, each with its deletion time as mtime. */
  List<FileStatus> listDeleted(List<String> c, String path) {
    Node node = queries.existing(c, path);
    if (!(node instanceof DirectoryNode directory)) {
      throw StateException.of(StateError.NOT_DIRECTORY, "%s is not a directory", path);
    }
    String prefix = c.isEmpty() ? "/" : GfsPaths.join(c) + "/";
    List<Map.Entry<DeletedNames.Parsed, FileStatus>> found = new ArrayList<>();
    directory.children.forEach((name, child) -> DeletedNames.parse(name).ifPresent(parsed -> {
      FileStatus s = queries.status(prefix + name, child);
      found.add(Map.entry(parsed, new FileStatus(s.path(), s.directory(), s.lengthBytes(), s.replication(),
          parsed.deletionMillis(), s.chunkCount(), s.permission(), s.accessTimeMillis())));
    }));
    found.sort(Map.Entry.<DeletedNames.Parsed, FileStatus>comparingByKey(Comparator.reverseOrder()));
    return found.stream().map(Map.Entry::getValue).toList();
  }
}
