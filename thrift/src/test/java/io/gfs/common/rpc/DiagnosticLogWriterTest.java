package io.gfs.common.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6: the diagnostic log's writer rests after emptying its queue instead of being woken for every event, so a
 * call queues its event without a thread wake-up or a file write of its own; flush and close end the rest at once.
 * The rest here is an hour, so only flush and close can get the second event written.
 */
class DiagnosticLogWriterTest {
  private static RpcEvent event(long sequence, String method) {
    return new RpcEvent(sequence, System.currentTimeMillis(), "127.0.0.1:1", method, 5, "OK", 10, 20, "{}", "{}");
  }

  @Test
  void eventsQueuedWhileTheWriterRestsWaitForFlushOrClose(@TempDir Path dir) throws Exception {
    DiagnosticLog log = DiagnosticLog.open("rest-test", new DiagnosticLog.Settings(dir, 1L << 20, 2, 10),
        TimeUnit.HOURS.toMillis(1));
    try {
      log.record(event(1, "first"));
      assertTrue(log.flush(30_000), "flush ends the rest and writes the first event");
      long afterFirst = log.writtenLines();
      Thread writer = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().equals("rest-test-diagnostic-log")).findFirst().orElseThrow();
      for (int poll = 0; poll < 30_000 && LockSupport.getBlocker(writer) != log; poll++) {
        Thread.sleep(1);
      }
      assertSame(log, LockSupport.getBlocker(writer), "the writer rests once the queue is empty");
      log.record(event(2, "second"));
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
      while (System.nanoTime() < deadline) {
        assertEquals(afterFirst, log.writtenLines(), "an event while the writer rests wakes nobody");
        Thread.sleep(10);
      }
      assertEquals(2, log.recentEvents().size(), "the memory has it at once");
      assertTrue(log.flush(30_000), "flush ends the rest");
      assertTrue(Files.readString(log.currentFile()).contains("second"));
      log.record(event(3, "third"));
    } finally {
      log.close();
    }
    assertTrue(Files.readString(log.currentFile()).contains("third"), "close writes what is queued");
  }
}
