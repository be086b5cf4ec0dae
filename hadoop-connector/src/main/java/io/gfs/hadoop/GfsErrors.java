package io.gfs.hadoop;

import io.gfs.client.GfsClientException;
import io.gfs.client.state.RetryPolicy;
import io.gfs.common.GfsPaths;
import io.gfs.thrift.gen.ErrorCode;
import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.InvalidPathException;
import org.apache.hadoop.fs.ParentNotDirectoryException;
import org.apache.hadoop.fs.PathIsDirectoryException;
import org.apache.hadoop.fs.PathIsNotEmptyDirectoryException;

/**
 * The one place that turns gfs error codes into the exceptions Hadoop callers expect (the FileSystem specification and
 * HDFS's behaviour):
 *
 * <pre>
 * NOT_FOUND             FileNotFoundException (the client library raises it already)
 * ALREADY_EXISTS        FileAlreadyExistsException
 * PARENT_NOT_DIRECTORY  lookups (getFileStatus, listStatus, open, append): FileNotFoundException, since nothing can
 * NOT_DIRECTORY           be below a file (exists() must answer false, as on HDFS); otherwise
 *                         ParentNotDirectoryException
 * DIRECTORY_NOT_EMPTY   PathIsNotEmptyDirectoryException
 * IS_DIRECTORY          open, append: FileNotFoundException ("is a directory", as the spec asks for open);
 *                       create: FileAlreadyExistsException; otherwise PathIsDirectoryException
 * INVALID_PATH          org.apache.hadoop.fs.InvalidPathException (unchecked, as HDFS throws it)
 * anything else         the GfsClientException itself, an IOException carrying the code
 * </pre>
 *
 * Which codes are worth another attempt is decided by the client library ({@link #retryable}); by the time an error
 * reaches this class the client has already retried those.
 */
public final class GfsErrors {
  private GfsErrors() {}

  /** What the caller was doing, where the same code maps differently. */
  public enum Op {
    /** getFileStatus, listStatus, block locations: a path under a file does not exist. */
    LOOKUP,
    /** open and append: a directory cannot be read or appended to, and a path under a file does not exist. */
    OPEN,
    /** create: a directory or file in the way already exists. */
    CREATE,
    /** mkdirs, delete, rename, stream calls. */
    OTHER
  }

  /**
   * The Hadoop form of e. Use as {@code throw GfsErrors.translate(e, op)}; INVALID_PATH is thrown from here as the
   * unchecked {@link InvalidPathException}.
   */
  public static IOException translate(IOException e, Op op) {
    if (!(e instanceof GfsClientException typed)) {
      return e;
    }
    String message = typed.getMessage();
    IOException mapped = switch (typed.code()) {
      case NOT_FOUND -> new FileNotFoundException(message);
      case ALREADY_EXISTS -> new FileAlreadyExistsException(message);
      case PARENT_NOT_DIRECTORY, NOT_DIRECTORY -> op == Op.LOOKUP || op == Op.OPEN
          ? new FileNotFoundException(message)
          : new ParentNotDirectoryException(message);
      case DIRECTORY_NOT_EMPTY -> new PathIsNotEmptyDirectoryException(message);
      case IS_DIRECTORY -> switch (op) {
        case OPEN -> new FileNotFoundException(message);
        case CREATE -> new FileAlreadyExistsException(message);
        case LOOKUP, OTHER -> new PathIsDirectoryException(message);
      };
      case INVALID_PATH -> throw new InvalidPathException(message);
      case PERMISSION_DENIED -> new org.apache.hadoop.security.AccessControlException(message);
      default -> typed;
    };
    if (mapped != typed) {
      mapped.initCause(typed);
    }
    return mapped;
  }

  /** The Hadoop form of a path the client library rejected before sending it. */
  public static InvalidPathException invalidPath(GfsPaths.InvalidPathException e) {
    InvalidPathException mapped = new InvalidPathException(e.getMessage());
    mapped.initCause(e);
    return mapped;
  }

  /** Whether the client library retries this code (it does so before the error reaches Hadoop code). */
  public static boolean retryable(ErrorCode code) {
    return RetryPolicy.retryable(code);
  }

  /** The code carried by e, if it is a typed gfs error. */
  static ErrorCode codeOf(IOException e) {
    if (e instanceof GfsClientException typed) {
      return typed.code();
    }
    return e instanceof FileNotFoundException ? ErrorCode.NOT_FOUND : null;
  }
}
