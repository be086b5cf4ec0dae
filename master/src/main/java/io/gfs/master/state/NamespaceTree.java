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
  private final DirectoryNode root = new DirectoryNode(0);
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

  long fileCount() {
    return fileCount.get();
  }

  long directoryCount() {
    return directoryCount.get() + 1;
  }

  /** Creates every missing directory on the path, the path itself included; returns the last one. */
  DirectoryNode mkdirs(List<String> components, long mtimeMillis) {
    DirectoryNode current = root;
    for (int i = 0; i < components.size(); i++) {
      String name = components.get(i);
      Node child = current.children.get(name);
      if (child == null) {
        DirectoryNode created = new DirectoryNode(mtimeMillis);
        // Concurrent creates below one missing directory both create it: first one wins, both use it.
        child = current.children.putIfAbsent(name, created);
        if (child == null) {
          child = created;
          directoryCount.incrementAndGet();
          current.touch(mtimeMillis);
        }
      }
      Check.state(child instanceof DirectoryNode, "mkdirs %s: %s is a file", GfsPaths.join(components),
          GfsPaths.join(components.subList(0, i + 1)));
      current = (DirectoryNode) child;
    }
    return current;
  }

  /** Puts a new empty file at the path (creating missing parents); returns the file it replaced, or null. */
  FileNode createFile(List<String> components, int replication, long mtimeMillis) {
    Check.argument(!components.isEmpty(), "cannot create a file at /");
    DirectoryNode parent = mkdirs(components.subList(0, components.size() - 1), mtimeMillis);
    String name = components.get(components.size() - 1);
    Node previous = parent.children.put(name, new FileNode(replication, mtimeMillis));
    Check.state(previous == null || previous instanceof FileNode, "create %s: a directory is there",
        GfsPaths.join(components));
    if (previous == null) {
      fileCount.incrementAndGet();
    }
    parent.touch(mtimeMillis);
    return (FileNode) previous;
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
    Check.state(r.exists(), "remove %s: no such path", GfsPaths.join(components));
    Node removed = r.parent().children.remove(components.get(components.size() - 1));
    Check.state(removed == r.node(), "remove %s: changed under its lock", GfsPaths.join(components));
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
    for (Node child : ((DirectoryNode) node).children.values()) {
      collect(child, files);
    }
  }

  void rename(List<String> source, List<String> destination, long mtimeMillis) {
    Resolution from = resolve(source);
    Resolution to = resolve(destination);
    Check.state(from.exists() && from.parent() != null, "rename: source %s missing", GfsPaths.join(source));
    Check.state(!to.exists() && to.parent() != null, "rename: destination %s exists or has no parent",
        GfsPaths.join(destination));
    Node moved = from.parent().children.remove(source.get(source.size() - 1));
    to.parent().children.put(destination.get(destination.size() - 1), moved);
    from.parent().touch(mtimeMillis);
    to.parent().touch(mtimeMillis);
  }

  /** Visits every node, parents before children, children in name order: the checkpoint order. */
  void visit(BiConsumer<String, Node> visitor) {
    visit("", root, visitor);
  }

  private void visit(String path, Node node, BiConsumer<String, Node> visitor) {
    visitor.accept(path.isEmpty() ? "/" : path, node);
    if (node instanceof DirectoryNode directory) {
      for (Map.Entry<String, Node> child : directory.children.entrySet()) {
        visit(path + "/" + child.getKey(), child.getValue(), visitor);
      }
    }
  }
}
