package io.gfs.hadoop;

import io.gfs.client.GfsClient;
import io.gfs.client.GfsClientException;
import io.gfs.client.GfsFileStatus;
import io.gfs.common.GfsPaths;
import java.io.FileNotFoundException;
import java.io.IOException;

/**
 * FileSystem.rename with HDFS's answers: false (not an exception) when the source is missing, the destination is an
 * existing file, the destination's parent is missing or a file, the destination lies inside the source or is the
 * source directory itself (a file renamed onto itself answers true); an
 * existing directory as destination receives the source under its own name. The move itself is one atomic master
 * call.
 */
final class Renamer {
  private final GfsClient client;

  Renamer(GfsClient client) {
    this.client = client;
  }

  boolean rename(String source, String destination) throws IOException {
    if (source.equals("/")) {
      return false;
    }
    GfsFileStatus sourceStatus = statusOrNull(source);
    if (sourceStatus == null) {
      return false;
    }
    if (destination.equals(source)) {
      // HDFS: a file renamed onto itself is a no-op that succeeds; a directory would move into itself, so false.
      return !sourceStatus.directory();
    }
    if (GfsPaths.isInside(destination, source)) {
      return false;
    }
    String target = destination;
    GfsFileStatus destinationStatus = statusOrNull(destination);
    if (destinationStatus != null) {
      if (!destinationStatus.directory()) {
        return false;
      }
      target = GfsPaths.child(destination, GfsPaths.name(source));
      if (target.equals(source)) {
        return true; // moving an entry into the directory that already holds it
      }
      if (statusOrNull(target) != null) {
        return false;
      }
    } else {
      GfsFileStatus parent = statusOrNull(GfsPaths.parent(destination));
      if (parent == null || !parent.directory()) {
        return false;
      }
    }
    try {
      client.rename(source, target);
      return true;
    } catch (FileNotFoundException e) {
      return false; // lost a race: the source went away or the destination's parent did
    } catch (GfsClientException e) {
      switch (e.code()) {
        case ALREADY_EXISTS, PARENT_NOT_DIRECTORY, NOT_DIRECTORY, INVALID_ARGUMENT, IS_DIRECTORY:
          return false;
        default:
          throw e;
      }
    }
  }

  private GfsFileStatus statusOrNull(String path) throws IOException {
    try {
      return client.getFileStatus(path);
    } catch (FileNotFoundException e) {
      return null;
    } catch (GfsClientException e) {
      switch (e.code()) {
        case NOT_DIRECTORY, PARENT_NOT_DIRECTORY:
          return null; // a file sits where a directory on the path should be: nothing is at this path
        default:
          throw e;
      }
    }
  }
}
