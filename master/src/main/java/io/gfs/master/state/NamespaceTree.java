package io.gfs.master.state;

import io.gfs.common.Check;
import io.gfs.common.GfsPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The directory tree looked up by full path [0056]. It only stores and walks; the rules (what may be created where)
 * are checked by {@link MasterState}'s decide methods, and the mutators here assume a decided, logged record and the
 * matching path locks held by the caller. Root "/" always exists.
 */
final class NamespaceTree {
  private final DirectoryNode root = new DirectoryNode("", 0, PermissionStatus.ROOT);
  private final PermissionInterner permissions = new PermissionInterner();
  /** Owner write and execute, added to a missing parent's bits (HDFS's addImplicitUwx). */
  private static final int IMPLICIT_PARENT_BITS = 0300;
  private static final long[] NO_HANDLES = new long[0];
  private final AtomicLong fileCount = new AtomicLong();
  /** Directories other than the root. */
  private final AtomicLong directoryCount = new AtomicLong();

  /**
   * Where a path leads. node is null when it does not exist; parent is its existing parent directory (null when an
   * ancestor is missing or is a file); ancestorIsFile says a file sits on the way.
   */
  record Resolution(Node node, DirectoryNode parent, boolean ancestorIsFile) {
    boolean exists() {
      return node != null;
    }

    boolean parentMissing() {
      return parent == null && !ancestorIsFile;
    }
  }

  Resolution resolve(List<String> components) {
    if (components.isEmpty()) {
      return new Resolution(root, null, false);
    }
    Node current = root;
    DirectoryNode parent = null;
    for (int i = 0; i < components.size(); i++) {
      if (!(current instanceof DirectoryNode directory)) {
        return new Resolution(null, null, true);
      }
      parent = directory;
      current = directory.children.get(components.get(i));
      if (current == null) {
        return new Resolution(null, i == components.size() - 1 ? parent : null, false);
      }
    }
    return new Resolution(current, parent, false);
  }

  DirectoryNode root() {
    return root;
  }

  /** The shared instance equal to value: every node's permission goes through here. */
  PermissionStatus intern(PermissionStatus value) {
    return permissions.intern(value);
  }

  long fileCount() {
    return fileCount.get();
  }

  long directoryCount() {
    return directoryCount.get() + 1;
  }

  /** The deepest existing directory on the path (the path itself when it is a directory): whose owner a child gets. */
  DirectoryNode nearestDirectory(List<String> components) {
    DirectoryNode current = root;
    for (String name : components) {
      if (!(current.children.get(name) instanceof DirectoryNode child)) {
        break;
      }
      current = child;
    }
    return current;
  }

  /**
   * Creates every missing directory on the path, the path itself included; returns the last one. The last one gets
   * permission when it is non-null, and every other new directory is made as HDFS makes missing parents: the same
   * owner (the caller, issue 7), its own parent's group, and the same bits plus owner write and execute, so the caller
   * can go on creating below it. Without a permission (records of older masters) they take their parent's owner and
   * group with the default directory permission. Two concurrent calls of different users creating the same missing
   * parent: the first to apply owns it (a replay applies in log order, which may pick the other).
   */
  DirectoryNode mkdirs(List<String> components, long mtimeMillis, PermissionStatus permission) {
    DirectoryNode current = root;
    for (int i = 0; i < components.size(); i++) {
      String name = components.get(i);
      Node child = current.children.get(name);
      if (child == null) {
        PermissionStatus attributes = permission == null
            ? current.permission().inherited(PermissionStatus.DIRECTORY_PERMISSION_DEFAULT)
            : i == components.size() - 1 ? permission
            : new PermissionStatus(permission.owner(), current.permission().group(),
                (short) (permission.permission() | IMPLICIT_PARENT_BITS));
        DirectoryNode created = new DirectoryNode(name, mtimeMillis, intern(attributes));
        // Concurrent creates below one missing directory both create it: first one wins, both use it.
        child = current.children.putIfAbsent(name, created);
        if (child == null) {
          child = created;
          directoryCount.incrementAndGet();
          current.touch(mtimeMillis);
        }
      }
      checkPaths(child instanceof DirectoryNode, "mkdirs %s: %s is a file", components, components.subList(0, i + 1));
      current = (DirectoryNode) child;
    }
    return current;
  }

  /**
   * Puts a new empty file at the path (creating missing parents); returns the file it replaced, or null. A null
   * permission means the parent's owner and group with the default file permission (records of older masters).
   */
  FileNode createFile(List<String> components, int replication, long mtimeMillis, PermissionStatus permission) {
    Check.argument(!components.isEmpty(), "cannot create a file at /");
    // Missing parents belong to the file's owner, as HDFS's do (older records without a permission: the parent's).
    DirectoryNode parent = mkdirs(components.subList(0, components.size() - 1), mtimeMillis, permission == null ? null
        : new PermissionStatus(permission.owner(), permission.group(), PermissionStatus.DIRECTORY_PERMISSION_DEFAULT));
    String name = components.get(components.size() - 1);
    PermissionStatus attributes = permission != null ? permission
        : parent.permission().inherited(PermissionStatus.FILE_PERMISSION_DEFAULT);
    Node previous = parent.children.put(name, new FileNode(name, replication, mtimeMillis, intern(attributes)));
    checkPath(previous == null || previous instanceof FileNode, "create %s: a directory is there", components);
    if (previous == null) {
      fileCount.incrementAndGet();
    }
    parent.touch(mtimeMillis);
    return (FileNode) previous;
  }

  /**
   * Checkpoint restore: a new file named name directly in parent, whose path the image already vouches for (a null
   * permission: the parent's owner and group with the default file permission, as {@link #createFile}). Times are the
   * caller's to put back.
   */
  FileNode restoreFile(DirectoryNode parent, String name, int replication, long mtimeMillis,
      PermissionStatus permission) {
    return restoreFile(parent, name, replication, mtimeMillis, mtimeMillis, permission, NO_HANDLES, 0);
  }

  /**
   * Checkpoint restore of a whole file at once: as {@link #restoreFile(DirectoryNode, String, int, long,
   * PermissionStatus)} plus its access time and first handleCount chunk handles, built into the node in one array
   * (setting them one by one copies the node's array twice per file). Chunk reference counts stay the caller's.
   */
  FileNode restoreFile(DirectoryNode parent, String name, int replication, long mtimeMillis, long accessTimeMillis,
      PermissionStatus permission, long[] chunkHandles, int handleCount) {
    Check.argument(!name.isEmpty() && name.indexOf('/') < 0, "bad file name '%s' in a checkpoint", name);
    PermissionStatus attributes = permission != null ? permission
        : parent.permission().inherited(PermissionStatus.FILE_PERMISSION_DEFAULT);
    FileNode file = new FileNode(name, replication, mtimeMillis, accessTimeMillis, intern(attributes), chunkHandles,
        handleCount);
    Check.state(parent.children.putIfAbsent(name, file) == null, "%s twice in a checkpoint", name);
    fileCount.incrementAndGet();
    return file;
  }

  /**
   * Removes the node at the path and returns every file that was in it (to release their chunks). For the root, removes
   * all children and keeps "/".
   */
  List<FileNode> remove(List<String> components) {
    List<FileNode> removedFiles = new ArrayList<>();
    if (components.isEmpty()) {
      for (String name : List.copyOf(root.children.keySet())) {
        Node child = root.children.remove(name);
        if (child != null) {
          collect(child, removedFiles);
        }
      }
      return removedFiles;
    }
    Resolution r = resolve(components);
    checkPath(r.exists(), "remove %s: no such path", components);
    Node removed = r.parent().children.remove(components.get(components.size() - 1));
    checkPath(removed == r.node(), "remove %s: changed under its lock", components);
    collect(removed, removedFiles);
    return removedFiles;
  }

  private void collect(Node node, List<FileNode> files) {
    if (node instanceof FileNode file) {
      files.add(file);
      fileCount.decrementAndGet();
      return;
    }
    directoryCount.decrementAndGet();
    ((DirectoryNode) node).children.forEach((name, child) -> collect(child, files));
  }

  void rename(List<String> source, List<String> destination, long mtimeMillis) {
    Resolution from = resolve(source);
    Resolution to = resolve(destination);
    checkPath(from.exists() && from.parent() != null, "rename: source %s missing", source);
    checkPath(!to.exists() && to.parent() != null, "rename: destination %s exists or has no parent", destination);
    Node moved = from.parent().children.remove(source.get(source.size() - 1));
    to.parent().children.put(destination.get(destination.size() - 1), moved);
    from.parent().touch(mtimeMillis);
    to.parent().touch(mtimeMillis);
  }

  /** Applies SET_PERMISSION: new bits, same owner and group. */
  void setPermission(List<String> components, short permission) {
    Node node = existing(components);
    node.setPermission(intern(node.permission().withPermission(permission)));
  }

  /** Applies SET_OWNER: a null owner or group stays as it is. */
  void setOwner(List<String> components, String owner, String group) {
    Node node = existing(components);
    PermissionStatus p = node.permission();
    node.setPermission(intern(p.withOwner(owner == null ? p.owner() : owner).withGroup(group == null ? p.group()
        : group)));
  }

  /** Applies SET_TIMES: exact times, earlier or later; a negative one stays as it is. */
  void setTimes(List<String> components, long modificationTimeMillis, long accessTimeMillis) {
    Node node = existing(components);
    if (modificationTimeMillis >= 0) {
      node.restoreMtime(modificationTimeMillis);
    }
    if (accessTimeMillis >= 0) {
      node.setAccessTime(accessTimeMillis);
    }
  }

  /** Applies SET_REPLICATION to a file. */
  void setReplication(List<String> components, int replication) {
    Node node = existing(components);
    checkPath(node instanceof FileNode, "set replication: %s is not a file", components);
    ((FileNode) node).replication = replication;
  }

  private Node existing(List<String> components) {
    Resolution r = resolve(components);
    checkPath(r.exists(), "%s does not exist", components);
    return r.node();
  }

  /**
   * Concat: appends the sources' chunk handles to the target's, in order, and removes the sources from their parent
   * (the target's). The chunks change owner, not count, so reference counts stay as they are.
   */
  void concat(List<String> target, List<List<String>> sources, long mtimeMillis) {
    Resolution t = resolve(target);
    checkPath(t.node() instanceof FileNode, "concat: target %s is not a file", target);
    FileNode targetFile = (FileNode) t.node();
    List<Long> appended = new ArrayList<>();
    for (List<String> source : sources) {
      Resolution s = resolve(source);
      checkPaths(s.node() instanceof FileNode && s.parent() == t.parent(), "concat: source %s is not a file beside %s",
          source, target);
      appended.addAll(((FileNode) s.node()).chunkHandles());
    }
    for (List<String> source : sources) {
      Node removed = t.parent().children.remove(source.get(source.size() - 1));
      checkPath(removed instanceof FileNode, "concat: source %s vanished", source);
      fileCount.decrementAndGet();
    }
    // One copy-on-write replacement: a concurrent reader sees the chunk list before or after, never half of it.
    targetFile.appendChunks(appended);
    targetFile.touch(mtimeMillis);
    t.parent().touch(mtimeMillis);
  }

  /** Every chunk handle of the files at and below node; skipHidden leaves out deleted entries below it. */
  List<Long> chunkHandlesUnder(Node node, boolean skipHidden) {
    List<Long> out = new ArrayList<>();
    java.util.Deque<Node> pending = new java.util.ArrayDeque<>();
    pending.push(node);
    while (!pending.isEmpty()) {
      Node next = pending.pop();
      if (next instanceof FileNode file) {
        out.addAll(file.chunkHandles());
      } else {
        ((DirectoryNode) next).children.forEach((name, child) -> {
          if (!skipHidden || !DeletedNames.isHidden(name)) {
            pending.push(child);
          }
        });
      }
    }
    return out;
  }

  /**
   * Snapshot: a copy of the node at source (hidden entries below it left out) put at destination, creating the missing
   * directories on the way; returns the copied files, whose chunks gain a reference each. Nodes are copied, chunk
   * handles are shared: no data moves [0115].
   */
  List<FileNode> copySubtree(List<String> source, List<String> destination, long mtimeMillis) {
    Node from = existing(source);
    Check.argument(!destination.isEmpty(), "snapshot onto /");
    DirectoryNode parent = mkdirs(destination.subList(0, destination.size() - 1), mtimeMillis, null);
    List<FileNode> files = new ArrayList<>();
    Node copy = copyOf(from, files);
    Check.state(parent.children.putIfAbsent(destination.get(destination.size() - 1), copy) == null,
        "snapshot %s exists", GfsPaths.join(destination));
    parent.touch(mtimeMillis);
    return files;
  }

  private Node copyOf(Node node, List<FileNode> files) {
    if (node instanceof FileNode file) {
      FileNode copy = file.copy();
      files.add(copy);
      fileCount.incrementAndGet();
      return copy;
    }
    DirectoryNode directory = new DirectoryNode(node.name(), node.mtimeMillis(), node.permission());
    directory.setAccessTime(node.accessTimeMillis());
    directoryCount.incrementAndGet();
    ((DirectoryNode) node).children.forEach((name, child) -> {
      if (!DeletedNames.isHidden(name)) {
        directory.children.put(name, copyOf(child, files));
      }
    });
    return directory;
  }

  /** Applies SET_POLICY to a directory. */
  void setPolicy(List<String> components, int replication, long gcRetentionMillis) {
    Node node = existing(components);
    checkPath(node instanceof DirectoryNode, "set policy: %s is not a directory", components);
    ((DirectoryNode) node).policyReplication = replication;
    ((DirectoryNode) node).policyGcRetentionMillis = gcRetentionMillis;
  }

  /** The nearest replication policy at or above the directory path (a prefix that exists), or INHERIT. */
  int effectiveReplication(List<String> directory) {
    int found = Policy.INHERIT;
    DirectoryNode current = root;
    for (int i = 0; ; i++) {
      found = current.policyReplication == Policy.INHERIT ? found : current.policyReplication;
      if (i == directory.size() || !(current.children.get(directory.get(i)) instanceof DirectoryNode child)) {
        return found;
      }
      current = child;
    }
  }

  /** The nearest retention policy at or above the directory path, or fallback. */
  long effectiveRetention(List<String> directory, long fallback) {
    long found = fallback;
    DirectoryNode current = root;
    for (int i = 0; ; i++) {
      found = current.policyGcRetentionMillis == Policy.INHERIT ? found : current.policyGcRetentionMillis;
      if (i == directory.size() || !(current.children.get(directory.get(i)) instanceof DirectoryNode child)) {
        return found;
      }
      current = child;
    }
  }

  /** Visits every node, parents before children, children in name order: the checkpoint order. */
  void visit(BiConsumer<String, Node> visitor) {
    visit("", root, visitor);
  }

  /** Visits the node at path (already resolved) and everything below it, parents first. */
  void visit(String path, Node node, BiConsumer<String, Node> visitor) {
    visitor.accept(path.isEmpty() ? "/" : path, node);
    if (node instanceof DirectoryNode directory) {
      for (Map.Entry<String, Node> child : directory.children.entrySet()) {
        visit(path + "/" + child.getKey(), child.getValue(), visitor);
      }
    }
  }

  /** Check.state that joins the path only on failure: a join per call showed in mkdir and restart profiles. */
  private static void checkPath(boolean condition, String format, List<String> path) {
    if (!condition) {
      throw new IllegalStateException(String.format(format, GfsPaths.join(path)));
    }
  }

  private static void checkPaths(boolean condition, String format, List<String> first, List<String> second) {
    if (!condition) {
      throw new IllegalStateException(String.format(format, GfsPaths.join(first), GfsPaths.join(second)));
    }
  }
}
