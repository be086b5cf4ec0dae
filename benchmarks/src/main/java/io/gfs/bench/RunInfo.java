package io.gfs.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Facts about one run: when, what sizes, which suites, the machine and how busy it was. */
record RunInfo(Instant started, Instant finished, String config, List<String> suites, String deployment,
    String machine, double loadAverageBefore, double loadAverageAfter) {
  static String describeMachine() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    long memoryBytes = 0;
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      memoryBytes = sun.getTotalMemorySize();
    }
    return os.getAvailableProcessors() + " cores (" + cpuModel() + "), " + (memoryBytes >> 30) + " GiB memory, "
        + os.getName() + " " + os.getVersion() + ", Java " + System.getProperty("java.version") + " ("
        + System.getProperty("java.vm.name") + "), max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB"
        + heapOptions();
  }

  /**
   * The JVM's heap-sizing options as given (an initial heap equal to the maximum pins it; -Xmn fixes the young
   * generation), or nothing.
   */
  private static String heapOptions() {
    List<String> given = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("-Xms") || a.startsWith("-Xmx") || a.startsWith("-Xmn")
            || a.startsWith("-XX:NewSize") || a.startsWith("-XX:MaxNewSize") || a.equals("-XX:+AlwaysPreTouch"))
        .toList();
    return given.isEmpty() ? "" : " (" + String.join(" ", given) + ")";
  }

  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not Linux: the model stays unknown
    }
    return "unknown CPU";
  }
}
