package io.gfs.master.server;

import io.gfs.common.GfsPaths;
import io.gfs.master.state.FileStatus;
import io.gfs.master.state.StateError;
import io.gfs.master.state.StateException;
import java.util.Set;

/**
 * Hadoop FileSystem.rename's rules (HDFS's answers), decided by the master in one call instead of the client's
 * getFileStatus calls before a plain rename (issue 6: four RPCs a rename): false, not an error, when the source is
 * missing, the destination is an existing file, the destination's parent is missing or a file, the destination lies
 * inside the source or is the source directory itself (a file renamed onto itself answers true); an existing
 * directory as destination receives the source under its own name. The caller holds {@code lockRename(source,
 * destination)}: the destination's write lock covers the entry created below it.
 */
final class HadoopRename {
  /** Where the source goes, or an answer without a move. */
  sealed interface Plan {}

  record Move(String target) implements Plan {}

  record Answer(boolean renamed) implements Plan {}

  /** Refusals of the move itself that Hadoop's rename answers with false (as the client-side rules did). */
  static final Set<StateError> ANSWERED_FALSE = Set.of(StateError.NOT_FOUND, StateError.ALREADY_EXISTS,
      StateError.PARENT_NOT_DIRECTORY, StateError.NOT_DIRECTORY, StateError.INVALID_ARGUMENT,
      StateError.IS_DIRECTORY);

  /**
   * A path's status after the caller's lookup permission check: null when nothing is there, or it throws what the
   * lookup would (NOT_FOUND and friends also count as nothing there).
   */
  @FunctionalInterface
  interface Lookup {
    FileStatus status(String path);
  }

  private HadoopRename() {}

  static Plan plan(String source, String destination, Lookup lookup) {
    if (source.equals("/")) {
      return new Answer(false);
    }
    FileStatus sourceStatus = statusOrNull(lookup, source);
    if (sourceStatus == null) {
      return new Answer(false);
    }
    if (destination.equals(source)) {
      // HDFS: a file renamed onto itself is a no-op that succeeds; a directory would move into itself, so false.
      return new Answer(!sourceStatus.directory());
    }
    if (GfsPaths.isInside(destination, source)) {
      return new Answer(false);
    }
    FileStatus destinationStatus = statusOrNull(lookup, destination);
    if (destinationStatus == null) {
      FileStatus parent = statusOrNull(lookup, GfsPaths.parent(destination));
      return parent == null || !parent.directory() ? new Answer(false) : new Move(destination);
    }
    if (!destinationStatus.directory()) {
      return new Answer(false);
    }
    String target = GfsPaths.child(destination, GfsPaths.name(source));
    if (target.equals(source)) {
      return new Answer(true); // moving an entry into the directory that already holds it
    }
    return statusOrNull(lookup, target) != null ? new Answer(false) : new Move(target);
  }

  private static FileStatus statusOrNull(Lookup lookup, String path) {
    try {
      return lookup.status(path);
    } catch (StateException e) {
      return switch (e.error()) {
        // nothing at the path, or a file sits where a directory on the path should be
        case NOT_FOUND, NOT_DIRECTORY, PARENT_NOT_DIRECTORY -> null;
        default -> throw e;
      };
    }
  }
}
