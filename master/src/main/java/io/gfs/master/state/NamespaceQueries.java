package io.gfs.master.state;

import io.gfs.common.GfsPaths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Read-only answers about the namespace: a node's status, listing pages and content summaries. The caller holds read
 * locks on the path. A walk below the path (content summary) reads the concurrent child maps without locking each
 * descendant, so it is a consistent count only when nothing below changes meanwhile, as HDFS's is not either. Deleted
 * entries not purged yet (hidden names) are left out of listings and summaries.
 */
final class NamespaceQueries {
  /** Most entries in one listing page, whatever the caller asks for. */
  static final int LISTING_ENTRIES_MAX = 1000;
  /**
   * Most chunk locations in one listing page with locations (about 1.3 MB on the wire). A file with more chunks than
   * this (640 GB at 64 MB chunks) is listed without them; the caller asks findChunks for it.
   */
  static final int LISTING_CHUNKS_MAX = 10_000;

  private final NamespaceTree tree;
  private final ChunkCoordinator coordinator;

  NamespaceQueries(NamespaceTree tree, ChunkCoordinator coordinator) {
    this.tree = tree;
    this.coordinator = coordinator;
  }

  Node existing(List<String> c, String path) {
    NamespaceTree.Resolution r = tree.resolve(c);
    if (r.ancestorIsFile()) {
      throw StateException.of(StateError.PARENT_NOT_DIRECTORY, "a parent of %s is a file", path);
    }
    if (!r.exists()) {
      throw StateException.of(StateError.NOT_FOUND, "%s does not exist", path);
    }
    return r.node();
  }

  FileNode existingFile(List<String> c, String path) {
    Node node = existing(c, path);
    if (!(node instanceof FileNode file)) {
      throw StateException.of(StateError.IS_DIRECTORY, "%s is a directory", path);
    }
    return file;
  }

  /**
   * The status a client sees: a file's length counts every acknowledged byte, or the lookup is refused with BUSY
   * (which clients retry) while the length of one of its chunks may still come in a chunkserver's report (see
   * {@link ChunkCoordinator#reportedLengthBytes}).
   */
  FileStatus status(String path, Node node) {
    if (node instanceof FileNode file) {
      List<Long> handles = file.chunkHandles();
      long lengthBytes = coordinator.reportedLengthBytes(handles);
      if (lengthBytes == ChunkCoordinator.LENGTH_NOT_REPORTED) {
        throw StateException.of(StateError.BUSY, "the length of %s is not known yet: this master started serving"
            + " recently and a chunkserver holding one of its chunks has not reported to it; retry shortly", path);
      }
      return fileStatus(path, file, handles, lengthBytes);
    }
    return directoryStatus(path, node);
  }

  /** The status with the lengths this master knows now, maybe short of the file's: for its own decisions only. */
  FileStatus statusAsKnown(String path, Node node) {
    if (node instanceof FileNode file) {
      List<Long> handles = file.chunkHandles();
      return fileStatus(path, file, handles, coordinator.knownLengthBytes(handles));
    }
    return directoryStatus(path, node);
  }

  private static FileStatus fileStatus(String path, FileNode file, List<Long> handles, long lengthBytes) {
    return new FileStatus(path, false, lengthBytes, file.replication, file.mtimeMillis(), handles.size(),
        file.permission(), file.accessTimeMillis());
  }

  private static FileStatus directoryStatus(String path, Node node) {
    return new FileStatus(path, true, 0, 0, node.mtimeMillis(), 0, node.permission(), node.accessTimeMillis());
  }

  /**
   * The children of a directory after startAfter (a name, or a full path whose last component counts), in name order;
   * for a file, the file itself.
   */
  Listing listPage(List<String> c, String path, String startAfter, int entriesMax, boolean withLocations,
      long nowMillis) {
    if (entriesMax <= 0) {
      throw StateException.of(StateError.INVALID_ARGUMENT, "entriesMax %s <= 0", entriesMax);
    }
    Node node = existing(c, path);
    String normalized = GfsPaths.join(c);
    if (!(node instanceof DirectoryNode directory)) {
      return new Listing(List.of(entry(normalized, node, withLocations, nowMillis)), false);
    }
    String after = startAfter == null ? "" : startAfter.substring(startAfter.lastIndexOf('/') + 1);
    Iterator<Map.Entry<String, Node>> children = directory.children.tailMap(after, false).entrySet().iterator();
    String prefix = c.isEmpty() ? "/" : normalized + "/";
    int limit = Math.min(entriesMax, LISTING_ENTRIES_MAX);
    List<Listing.Entry> entries = new ArrayList<>();
    int chunkBudget = LISTING_CHUNKS_MAX;
    while (children.hasNext() && entries.size() < limit) {
      Map.Entry<String, Node> child = children.next();
      if (DeletedNames.isHidden(child.getKey())) {
        continue; // deleted, not purged yet: listed by listDeleted only
      }
      if (withLocations && child.getValue() instanceof FileNode file) {
        int chunks = file.chunkCount();
        if (chunks <= LISTING_CHUNKS_MAX && chunks > chunkBudget) {
          // Would overflow this page: it opens the next one instead.
          return new Listing(entries, true);
        }
        chunkBudget -= chunks <= LISTING_CHUNKS_MAX ? chunks : 0;
      }
      entries.add(entry(prefix + child.getKey(), child.getValue(), withLocations, nowMillis));
    }
    return new Listing(entries, hasVisible(children));
  }

  private static boolean hasVisible(Iterator<Map.Entry<String, Node>> children) {
    while (children.hasNext()) {
      if (!DeletedNames.isHidden(children.next().getKey())) {
        return true;
      }
    }
    return false;
  }

  private Listing.Entry entry(String path, Node node, boolean withLocations, long nowMillis) {
    FileStatus status = status(path, node);
    if (!withLocations || !(node instanceof FileNode file) || file.chunkCount() > LISTING_CHUNKS_MAX) {
      return new Listing.Entry(status, null);
    }
    List<Long> handles = file.chunkHandles();
    return new Listing.Entry(status, coordinator.views(handles, 0, handles.size(), nowMillis));
  }

  /** Totals under the path, the path included; iterative, so a deep tree cannot overflow the stack. */
  ContentSummary contentSummary(List<String> c, String path) {
    Node top = existing(c, path);
    long length = 0;
    long files = 0;
    long directories = 0;
    long space = 0;
    Deque<Node> pending = new ArrayDeque<>();
    pending.push(top);
    while (!pending.isEmpty()) {
      Node node = pending.pop();
      if (node instanceof FileNode file) {
        long fileLength = coordinator.reportedLengthBytes(file.chunkHandles());
        if (fileLength == ChunkCoordinator.LENGTH_NOT_REPORTED) {
          throw StateException.of(StateError.BUSY, "the length of a file under %s is not known yet: this master"
              + " started serving recently and a chunkserver holding one of its chunks has not reported; retry shortly",
              path);
        }
        files++;
        length += fileLength;
        space += fileLength * file.replication;
      } else {
        directories++;
        ((DirectoryNode) node).children.forEach((name, child) -> {
          if (!DeletedNames.isHidden(name)) {
            pending.push(child);
          }
        });
      }
    }
    return new ContentSummary(length, files, directories, space);
  }
}
