package io.gfs.master.state;

import io.gfs.common.GfsPaths;
import java.util.ArrayList;
import java.util.List;

/**
 * Snapshots [0113-0116]: creating one logs a SNAPSHOT record whose apply copies the metadata (chunks shared, reference
 * counts raised); deleting and renaming one are ordinary DELETE (purged at once: no lazy GC for snapshots) and RENAME
 * records inside the snapshot area. The caller holds {@link MasterState#lockSnapshots} of the path and has revoked the
 * leases of the chunks below it (see {@link MasterState#revokeLeasesUnder}).
 */
final class SnapshotDecisions {
  private final NamespaceTree tree;

  SnapshotDecisions(NamespaceTree tree) {
    this.tree = tree;
  }

  Decision create(List<String> c, String path, String name, long nowMillis) {
    Decision bad = checkTarget(c, path, name);
    if (bad != null) {
      return bad;
    }
    List<String> stored = stored(c, name);
    if (tree.resolve(stored).exists()) {
      return Decision.reject(StateError.ALREADY_EXISTS, "snapshot %s of %s exists", name, path);
    }
    return Decision.log(new LogRecord.Snapshot(GfsPaths.join(c), GfsPaths.join(stored), nowMillis));
  }

  Decision delete(List<String> c, String path, String name) {
    Decision bad = checkTarget(c, path, name);
    if (bad != null) {
      return bad;
    }
    List<String> stored = stored(c, name);
    if (!tree.resolve(stored).exists()) {
      return Decision.reject(StateError.NOT_FOUND, "no snapshot %s of %s", name, path);
    }
    return Decision.log(new LogRecord.Delete(GfsPaths.join(stored), true));
  }

  Decision rename(List<String> c, String path, String oldName, String newName, long nowMillis) {
    Decision bad = checkTarget(c, path, oldName);
    if (bad == null) {
      bad = checkTarget(c, path, newName);
    }
    if (bad != null) {
      return bad;
    }
    List<String> from = stored(c, oldName);
    List<String> to = stored(c, newName);
    if (!tree.resolve(from).exists()) {
      return Decision.reject(StateError.NOT_FOUND, "no snapshot %s of %s", oldName, path);
    }
    if (oldName.equals(newName)) {
      return Decision.noop(true);
    }
    if (tree.resolve(to).exists()) {
      return Decision.reject(StateError.ALREADY_EXISTS, "snapshot %s of %s exists", newName, path);
    }
    return Decision.log(new LogRecord.Rename(GfsPaths.join(from), GfsPaths.join(to), nowMillis));
  }

  /** The snapshot names of the path, in name order. */
  List<String> list(List<String> c, String path) {
    Node node = existing(c, path);
    NamespaceTree.Resolution area = tree.resolve(SnapshotNames.area(c, node instanceof FileNode));
    List<String> out = new ArrayList<>();
    if (area.node() instanceof DirectoryNode directory) {
      directory.children.keySet().forEach(name -> {
        if (SnapshotNames.validName(name)) {
          out.add(name);
        }
      });
    }
    return out;
  }

  /** The directory whose write lock covers the path's snapshot area: itself, or a file's parent. */
  List<String> lockScope(List<String> c) {
    return tree.resolve(c).node() instanceof FileNode ? c.subList(0, c.size() - 1) : c;
  }

  /** Every chunk the path's live tree refers to (snapshots and deleted entries below it left out). */
  List<Long> chunkHandles(List<String> c, String path) {
    return tree.chunkHandlesUnder(existing(c, path), true);
  }

  private Decision checkTarget(List<String> c, String path, String name) {
    if (SnapshotNames.inSnapshot(c) || DeletedNames.anyHidden(c)) {
      return Decision.reject(StateError.INVALID_PATH, "%s is inside a snapshot or deleted", path);
    }
    if (!SnapshotNames.validName(name)) {
      return Decision.reject(StateError.INVALID_ARGUMENT, "bad snapshot name '%s'", name);
    }
    existing(c, path);
    return null;
  }

  private List<String> stored(List<String> c, String name) {
    List<String> out = SnapshotNames.area(c, tree.resolve(c).node() instanceof FileNode);
    out.add(name);
    return out;
  }

  private Node existing(List<String> c, String path) {
    NamespaceTree.Resolution r = tree.resolve(c);
    if (!r.exists()) {
      throw StateException.of(StateError.NOT_FOUND, "%s does not exist", path);
    }
    return r.node();
  }
}
