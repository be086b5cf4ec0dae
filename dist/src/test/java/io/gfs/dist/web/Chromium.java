package io.gfs.dist.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian's chromium package) driven from the command line, no Node: dump a page's DOM after its
 * scripts ran, or save a screenshot. Each run gets a new empty profile and no network beyond the page's own server.
 */
final class Chromium {
  static final long RUN_SECONDS_MAX = 90;

  private final Path binary;
  private final Path workDir;
  private int runs;

  private Chromium(Path binary, Path workDir) {
    this.binary = binary;
    this.workDir = workDir;
  }

  /** The browser at $CHROMIUM or /usr/bin/chromium, or null when there is none. */
  static Chromium find(Path workDir) {
    String configured = System.getenv("CHROMIUM");
    for (String candidate : new String[] {configured, "/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
      if (candidate != null && Files.isExecutable(Path.of(candidate))) {
        return new Chromium(Path.of(candidate), workDir);
      }
    }
    return null;
  }

  /** The DOM after the page loaded and its scripts ran (for up to {@code budgetMillis} of virtual time). */
  String dumpDom(String url, int budgetMillis) throws IOException, InterruptedException {
    return run(List.of("--dump-dom", "--virtual-time-budget=" + budgetMillis, url));
  }

  /** Saves a PNG of the page at the given window size. */
  void screenshot(String url, Path png, int width, int height) throws IOException, InterruptedException {
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.deleteIfExists(png);
    run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
        "--hide-scrollbars", "--virtual-time-budget=3000", url));
    if (!Files.isRegularFile(png)) {
      throw new IOException("chromium wrote no screenshot to " + png);
    }
  }

  private String run(List<String> arguments) throws IOException, InterruptedException {
    Path profile = workDir.resolve("chromium-profile-" + (++runs));
    Files.createDirectories(profile);
    List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--user-data-dir=" + profile));
    command.addAll(arguments);
    Path out = workDir.resolve("chromium-" + runs + ".out");
    Path err = workDir.resolve("chromium-" + runs + ".err");
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      if (!process.waitFor(RUN_SECONDS_MAX, TimeUnit.SECONDS)) {
        throw new IOException("chromium did not finish within " + RUN_SECONDS_MAX + " s: " + command);
      }
    } finally {
      process.destroyForcibly();
    }
    if (process.exitValue() != 0) {
      throw new IOException("chromium exited with " + process.exitValue() + ": " + Files.readString(err));
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
