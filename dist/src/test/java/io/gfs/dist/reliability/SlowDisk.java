package io.gfs.dist.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A data disk that the kernel really makes slow: an ext4 file system on a loop device (its own block device, backed
 * by a sparse image file) mounted on a chunkserver's data directory, whose bandwidth and IOPS the block layer's
 * throttle limits (cgroup v1 blkio, the root group's {@code blkio.throttle.*_device} rules for that device only).
 * Every I/O to that device waits in the kernel - the chunkserver's fsyncs, the page cache's writeback, the
 * journal - as on a failing or overloaded disk; the rest of the machine is untouched. Needs root (losetup, mkfs,
 * mount) and the blkio controller; {@link #mount} returns null with the reason printed where the machine does not
 * allow it (cgroup v2 has no limit on the root group: there the server would have to run in a child group).
 */
final class SlowDisk implements AutoCloseable {
  private static final Path BLKIO = Path.of("/sys/fs/cgroup/blkio");
  private static final List<String> RULES = List.of("blkio.throttle.write_bps_device",
      "blkio.throttle.write_iops_device", "blkio.throttle.read_bps_device", "blkio.throttle.read_iops_device");

  private final Path directory;
  private final Path image;
  private final String loopDevice;
  private final String majorMinor;
  private boolean slow;

  private SlowDisk(Path directory, Path image, String loopDevice, String majorMinor) {
    this.directory = directory;
    this.image = image;
    this.loopDevice = loopDevice;
    this.majorMinor = majorMinor;
  }

  /**
   * Mounts a fresh ext4 of sizeBytes (sparse) on directory, at full speed until {@link #slow}; null (with the reason
   * printed) where this machine allows no loop device, mount or blkio throttle.
   */
  static SlowDisk mount(Path directory, Path image, long sizeBytes) throws IOException, InterruptedException {
    for (String rule : RULES) {
      if (!Files.isWritable(BLKIO.resolve(rule))) {
        return refused("no writable " + BLKIO.resolve(rule) + " (needs root and the cgroup v1 blkio controller)");
      }
    }
    Files.createDirectories(directory);
    Files.deleteIfExists(image);
    try (var file = new java.io.RandomAccessFile(image.toFile(), "rw")) {
      file.setLength(sizeBytes);
    }
    Result loop = run("losetup", "--find", "--show", image.toString());
    if (!loop.ok()) {
      return refused("losetup: " + loop.output());
    }
    String device = loop.output().strip();
    SlowDisk disk = new SlowDisk(directory, image, device,
        Files.readString(Path.of("/sys/block", Path.of(device).getFileName().toString(), "dev")).strip());
    // Inode tables and journal written now, at full speed: lazy init would write them later, through the throttle.
    Result mkfs = run("mkfs.ext4", "-q", "-F", "-E", "lazy_itable_init=0,lazy_journal_init=0", device);
    Result mount = mkfs.ok() ? run("mount", device, directory.toString()) : mkfs;
    if (!mount.ok()) {
      run("losetup", "-d", device);
      Files.deleteIfExists(image);
      return refused("mkfs/mount of " + device + ": " + mount.output());
    }
    disk.slow = true; // so that fast() below clears any rule a crashed earlier run left for this device number
    try {
      disk.fast();
    } catch (IOException e) {
      disk.close();
      return refused("cannot write a blkio throttle rule: " + e.getMessage());
    }
    return disk;
  }

  /** Limits the device to bytesPerSecond and iops each way, from now on (I/O already queued included). */
  void slow(long bytesPerSecond, long iops) throws IOException {
    slow = true;
    for (String rule : RULES) {
      writeRule(rule, rule.contains("bps") ? bytesPerSecond : iops);
    }
  }

  /** Removes the limits. */
  void fast() throws IOException {
    if (slow) {
      for (String rule : RULES) {
        writeRule(rule, 0); // 0 deletes the device's rule
      }
      slow = false;
    }
  }

  /** Whether path lies on this disk's file system (the kernel's mount table says which device holds it). */
  boolean holds(Path path) throws IOException {
    return Files.getFileStore(path).name().equals(loopDevice);
  }

  /** Bytes written to the device so far, as the block layer counted them (the fsyncs', writeback's and journal's). */
  long bytesWritten() throws IOException {
    String prefix = majorMinor + " Write ";
    for (String line : Files.readAllLines(BLKIO.resolve("blkio.throttle.io_service_bytes"))) {
      if (line.startsWith(prefix)) {
        return Long.parseLong(line.substring(prefix.length()).strip());
      }
    }
    return 0;
  }

  String device() {
    return loopDevice + " (" + majorMinor + ")";
  }

  private void writeRule(String rule, long value) throws IOException {
    Files.writeString(BLKIO.resolve(rule), majorMinor + " " + value);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    List<String> problems = new ArrayList<>();
    try {
      fast();
    } catch (IOException e) {
      problems.add("clearing the throttle: " + e.getMessage());
    }
    Result umount = run("umount", directory.toString());
    if (!umount.ok()) {
      umount = run("umount", "-l", directory.toString()); // something still holds it: detach now, free when let go
    }
    if (!umount.ok()) {
      problems.add("umount: " + umount.output());
    }
    Result detach = run("losetup", "-d", loopDevice);
    if (!detach.ok()) {
      problems.add("losetup -d: " + detach.output());
    }
    Files.deleteIfExists(image);
    if (!problems.isEmpty()) {
      throw new IOException("slow disk " + device() + " on " + directory + ": " + problems);
    }
  }

  private static SlowDisk refused(String reason) {
    System.out.println("[reliability] no slow disk here: " + reason);
    return null;
  }

  private record Result(boolean ok, String output) {}

  private static Result run(String... command) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException noSuchCommand) {
      return new Result(false, noSuchCommand.getMessage());
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Result(false, String.join(" ", command) + " did not finish in 60 s");
    }
    String output = new String(p.getInputStream().readAllBytes()).trim();
    return new Result(p.exitValue() == 0, p.exitValue() == 0 ? output : "exit " + p.exitValue() + ": " + output);
  }
}
