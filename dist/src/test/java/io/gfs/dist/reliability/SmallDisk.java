package io.gfs.dist.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A size-limited tmpfs mounted on a directory: a data disk that really fills up (ENOSPC from the kernel), not a
 * simulated one. Mounting needs CAP_SYS_ADMIN; {@link #mount} returns null where the machine does not allow it, and
 * the scenario is skipped with that reason.
 */
final class SmallDisk implements AutoCloseable {
  private final Path directory;

  private SmallDisk(Path directory) {
    this.directory = directory;
  }

  /** The mounted disk, or null (with the reason printed) when mounting is not allowed here. */
  static SmallDisk mount(Path directory, long sizeBytes) throws IOException, InterruptedException {
    Files.createDirectories(directory);
    String result = run("mount", "-t", "tmpfs", "-o", "size=" + sizeBytes, "tmpfs", directory.toString());
    if (result != null) {
      System.out.println("[reliability] cannot mount a " + sizeBytes + "-byte tmpfs on " + directory + ": " + result);
      return null;
    }
    return new SmallDisk(directory);
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException noMountCommand) {
      return noMountCommand.getMessage();
    }
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return String.join(" ", command) + " did not finish in 30 s";
    }
    String output = new String(p.getInputStream().readAllBytes()).trim();
    return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + output;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    String result = run("umount", "-l", directory.toString());
    if (result != null) {
      throw new IOException("umount " + directory + ": " + result);
    }
  }
}
