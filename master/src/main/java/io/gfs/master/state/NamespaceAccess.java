package io.gfs.master.state;

import io.gfs.common.Check;
import io.gfs.common.GfsPaths;
import io.gfs.common.security.Caller;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Which permission each namespace operation needs, as HDFS's FSDirectory asks FSPermissionChecker (issue 7): every
 * operation needs execute (traverse) on every existing ancestor directory; create, mkdirs, undelete and a rename's
 * destination need write on the deepest existing ancestor; delete and a rename's source need write on the parent and
 * pass the sticky bit, a recursive delete also rwx on every non-empty directory below; reads need read on the file,
 * listings read and execute on the directory, content summaries read and execute on every directory below; writing
 * data needs write on the file or its ownership;
 * setPermission, setOwner and snapshots need the owner, a new owner the superuser. The caller holds the path locks
 * the operation takes, so the check and the decision see the same tree. A check that fails throws PERMISSION_DENIED;
 * a path that does not exist is left to the decision (NOT_FOUND and friends).
 */
public final class NamespaceAccess {
  private final MasterState state;
  private final PermissionChecker checker;

  public NamespaceAccess(MasterState state, PermissionChecker checker) {
    this.state = Check.notNull(state, "state");
    this.checker = Check.notNull(checker, "checker");
  }

  public PermissionChecker checker() {
    return checker;
  }

  /** Operator actions that change the cluster (safe mode, balancer, decommission): the superuser's, as dfsadmin's. */
  public void operator(Caller caller, String operation) {
    if (!checker.exempt(caller)) {
      throw StateException.of(StateError.PERMISSION_DENIED, "Access denied for user %s. Superuser privilege is "
          + "required for %s", caller.user(), operation);
    }
  }

  /** getFileInfo, getPolicy: traverse only. */
  public void lookup(Caller caller, String path) {
    if (!checker.exempt(caller)) {
      traverse(caller, components(path), path);
    }
  }

  /** listStatus, listStatusPage, listDeleted: traverse, and read + execute on a directory. */
  public void list(Caller caller, String path) {
    if (checker.exempt(caller)) {
      return;
    }
    List<String> c = components(path);
    traverse(caller, c, path);
    Node node = tree().resolve(c).node();
    if (node instanceof DirectoryNode) {
      checker.check(caller, node.permission(), true, PermissionChecker.READ | PermissionChecker.EXECUTE, path);
    }
  }

  /** findChunks (open): traverse and read on the file. */
  public void read(Caller caller, String path) {
    onNode(caller, path, PermissionChecker.READ);
  }

  /** acquireLease, reportChunkLength, setTimes, setReplication, setPolicy: traverse and write on the node. */
  public void write(Caller caller, String path) {
    onNode(caller, path, PermissionChecker.WRITE);
  }

  /**
   * acquireLease and reportChunkLength (writing a file's data): traverse, and write on the file or being its owner.
   * HDFS checks write once, when a writer opens the file, and then lets the lease holder go on (a file created 0444,
   * or chmod-ed after create as FileSystem.create(fs, path, permission) does, is still written by its creator); gfs has
   * no open-for-write at the master, so the owner, who could grant itself write anyway, may always write.
   */
  public void writeData(Caller caller, String path) {
    if (checker.exempt(caller)) {
      return;
    }
    Node node = tree().resolve(components(path)).node();
    if (node != null && caller.user().equals(node.permission().owner())) {
      lookup(caller, path);
      return;
    }
    onNode(caller, path, PermissionChecker.WRITE);
  }

  /** getContentSummary: traverse, and read + execute on every directory at and below the path. */
  public void contentSummary(Caller caller, String path) {
    if (checker.exempt(caller)) {
      return;
    }
    List<String> c = components(path);
    traverse(caller, c, path);
    Node top = tree().resolve(c).node();
    if (top != null) {
      subtree(caller, top, GfsPaths.join(c), PermissionChecker.READ | PermissionChecker.EXECUTE, false);
    }
  }

  /**
   * mkdirs and create: traverse, write on the deepest existing ancestor; an existing file to overwrite also needs
   * write. Only the superuser may name another owner, or a group it is not in (other than the inherited one).
   */
  public void create(Caller caller, String path, boolean overwrite, String owner, String group) {
    if (checker.exempt(caller)) {
      return;
    }
    List<String> c = components(path);
    traverse(caller, c, path);
    NamespaceTree.Resolution r = tree().resolve(c);
    if (r.exists() && !overwrite) {
      return; // nothing is created: the decision answers (ALREADY_EXISTS, or true for an existing directory)
    }
    DirectoryNode ancestor = tree().nearestDirectory(c.isEmpty() ? c : c.subList(0, c.size() - 1));
    checker.check(caller, ancestor.permission(), true, PermissionChecker.WRITE | PermissionChecker.EXECUTE,
        path + " (its nearest existing ancestor)");
    if (r.exists() && r.node() instanceof FileNode file) {
      checker.check(caller, file.permission(), false, PermissionChecker.WRITE, path);
    }
    if (owner != null && !owner.equals(caller.user())) {
      checker.checkOwnerChange(caller, owner, null, path);
    }
    if (group != null && !group.equals(ancestor.permission().group())) {
      checker.checkOwnerChange(caller, null, group, path);
    }
  }

  /** undelete: like a create at the path. */
  public void undelete(Caller caller, String path) {
    create(caller, path, false, null, null);
  }

  /** remove: traverse, write + execute on the parent, the sticky bit, rwx on every non-empty directory below. */
  public void delete(Caller caller, String path) {
    if (checker.exempt(caller)) {
      return;
    }
    List<String> c = components(path);
    NamespaceTree.Resolution r = leaving(caller, c, path, "only the superuser may empty /");
    if (r != null) {
      subtree(caller, r.node(), GfsPaths.join(c), PermissionChecker.ALL, true);
    }
  }

  /**
   * The checks for a node leaving its parent (delete, rename's source): traverse, then the parent's and the sticky
   * bit's rules; null when the node does not exist (the operation itself answers that), refused for /.
   */
  private NamespaceTree.Resolution leaving(Caller caller, List<String> c, String path, String rootRefusal) {
    traverse(caller, c, path);
    NamespaceTree.Resolution r = tree().resolve(c);
    if (!r.exists()) {
      return null;
    }
    if (c.isEmpty()) {
      throw StateException.of(StateError.PERMISSION_DENIED, "Permission denied: " + rootRefusal);
    }
    leaveParent(caller, r, path);
    return r;
  }

  /** rename: the source leaves its parent (as for delete, without the subtree), the destination is created. */
  public void rename(Caller caller, String source, String destination) {
    if (checker.exempt(caller)) {
      return;
    }
    if (leaving(caller, components(source), source, "/ cannot be renamed") == null) {
      return;
    }
    List<String> to = components(destination);
    traverse(caller, to, destination);
    DirectoryNode ancestor = tree().nearestDirectory(to.isEmpty() ? to : to.subList(0, to.size() - 1));
    checker.check(caller, ancestor.permission(), true, PermissionChecker.WRITE | PermissionChecker.EXECUTE,
        destination + " (its nearest existing ancestor)");
  }

  /** concat: write on the target; read on each source and write on its directory (HDFS's rule). */
  public void concat(Caller caller, String target, List<String> sources) {
    write(caller, target);
    for (String source : sources) {
      onNode(caller, source, PermissionChecker.READ);
      if (!checker.exempt(caller)) {
        List<String> c = components(source);
        NamespaceTree.Resolution r = tree().resolve(c);
        if (r.exists() && r.parent() != null) {
          checker.check(caller, r.parent().permission(), true, PermissionChecker.WRITE, source + " (its directory)");
        }
      }
    }
  }

  /** setPermission, createSnapshot, deleteSnapshot, renameSnapshot: traverse, and the owner only. */
  public void owner(Caller caller, String path) {
    if (checker.exempt(caller)) {
      return;
    }
    List<String> c = components(path);
    traverse(caller, c, path);
    Node node = tree().resolve(c).node();
    if (node != null) {
      checker.checkOwner(caller, node.permission(), node.isDirectory(), path);
    }
  }

  /** setOwner: the owner, and only the superuser gives a node away or to a group the caller is not in. */
  public void setOwner(Caller caller, String path, String owner, String group) {
    owner(caller, path);
    checker.checkOwnerChange(caller, owner, group, path);
  }

  private void onNode(Caller caller, String path, int actionBits) {
    if (checker.exempt(caller)) {
      return;
    }
    List<String> c = components(path);
    traverse(caller, c, path);
    Node node = tree().resolve(c).node();
    if (node != null) {
      checker.check(caller, node.permission(), node.isDirectory(), actionBits, path);
    }
  }

  private void leaveParent(Caller caller, NamespaceTree.Resolution r, String path) {
    checker.check(caller, r.parent().permission(), true, PermissionChecker.WRITE | PermissionChecker.EXECUTE,
        path + " (its parent)");
    checker.checkSticky(caller, r.parent().permission(), r.node().permission(), r.node().isDirectory(), path);
  }

  /** Execute on every existing directory above the last component, root first; stops where the path ends. */
  private void traverse(Caller caller, List<String> c, String path) {
    DirectoryNode current = tree().root();
    for (int i = 0; i < c.size(); i++) {
      checker.check(caller, current.permission(), true, PermissionChecker.EXECUTE,
          i == 0 ? "/" : GfsPaths.join(c.subList(0, i)));
      if (!(current.children.get(c.get(i)) instanceof DirectoryNode next)) {
        return;
      }
      current = next;
    }
  }

  /** actionBits on every directory at and below node (skipping empty ones when skipEmpty, as HDFS's delete does). */
  private void subtree(Caller caller, Node node, String path, int actionBits, boolean skipEmpty) {
    Deque<Node> pending = new ArrayDeque<>();
    Deque<String> paths = new ArrayDeque<>();
    pending.push(node);
    paths.push(path);
    while (!pending.isEmpty()) {
      Node next = pending.pop();
      String at = paths.pop();
      if (!(next instanceof DirectoryNode directory) || (skipEmpty && directory.children.isEmpty())) {
        continue;
      }
      checker.check(caller, directory.permission(), true, actionBits, at);
      String prefix = at.equals("/") ? "/" : at + "/";
      directory.children.forEach((name, child) -> {
        pending.push(child);
        paths.push(prefix + name);
      });
    }
  }

  private NamespaceTree tree() {
    return state.tree();
  }

  private List<String> components(String path) {
    return state.components(path);
  }
}
