package io.gfs.common.metrics;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;

/**
 * The JVM basics every server exposes, under the names Prometheus's own Java instrumentation uses (jvm_, process_),
 * read from the platform MXBeans at scrape time; kept here rather than as one more dependency.
 */
final class JvmGauges {
  private JvmGauges() {}

  static void register(GfsMetrics metrics) {
    var memory = ManagementFactory.getMemoryMXBean();
    metrics.gauges("jvm_memory_used_bytes", "Memory in use, by area (heap, nonheap).", new String[] {"area"}, cb -> {
      cb.call(memory.getHeapMemoryUsage().getUsed(), "heap");
      cb.call(memory.getNonHeapMemoryUsage().getUsed(), "nonheap");
    });
    metrics.gauges("jvm_memory_max_bytes", "Most memory the area may use (-1: no limit).", new String[] {"area"},
        cb -> {
          cb.call(max(memory.getHeapMemoryUsage()), "heap");
          cb.call(max(memory.getNonHeapMemoryUsage()), "nonheap");
        });
    var threads = ManagementFactory.getThreadMXBean();
    metrics.gauge("jvm_threads_current", "Live threads.", threads::getThreadCount);
    metrics.counterGauges("jvm_gc_collection_seconds", "Time spent in garbage collection, by collector.",
        new String[] {"gc"}, cb -> {
          for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            cb.call(Math.max(0, gc.getCollectionTime()) / 1000.0, gc.getName());
          }
        });
    var runtime = ManagementFactory.getRuntimeMXBean();
    metrics.gauge("process_start_time_seconds", "When the process started, in seconds since the epoch.",
        () -> runtime.getStartTime() / 1000.0);
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      metrics.counterGauge("process_cpu_seconds", "CPU time the process used.",
          () -> Math.max(0, sun.getProcessCpuTime()) / 1e9);
    }
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      metrics.gauge("process_open_fds", "Open file descriptors.", unix::getOpenFileDescriptorCount);
      metrics.gauge("process_max_fds", "Most file descriptors the process may open.",
          unix::getMaxFileDescriptorCount);
    }
  }

  private static double max(MemoryUsage usage) {
    return usage.getMax();
  }
}
