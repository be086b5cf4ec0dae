package io.gfs.dist.admin;

/** A command line the admin tool cannot run: wrong command, missing or bad argument. Exit status 2. */
final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
