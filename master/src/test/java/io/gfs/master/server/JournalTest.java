package io.gfs.master.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.master.oplog.MetaFiles;
import io.gfs.master.oplog.OpLog;
import io.gfs.master.oplog.Recovery;
import io.gfs.master.state.LogRecord;
import io.gfs.master.state.MasterState;
import io.gfs.master.state.StateError;
import io.gfs.master.state.StateException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
  @TempDir
  Path dir;

  private static MasterState fresh() {
    return new MasterState(new MasterState.Settings(1 << 20, 60_000, 10_000, 3), new SplittableRandom(1));
  }

  @Test
  void aFailedLogWriteIsNotAppliedAndStopsAllLaterMutations() throws IOException {
    MasterState state = fresh();
    AtomicBoolean diskBroken = new AtomicBoolean();
    OpLog log = OpLog.open(dir, 0, records -> {
      if (diskBroken.get()) {
        throw new IOException("EIO");
      }
    });
    try (Journal journal = new Journal(state, log, dir, 1000, 2, 0, 0)) {
      java.util.List<IOException> told = new java.util.concurrent.CopyOnWriteArrayList<>();
      journal.onBroken(told::add);
      journal.commit(new LogRecord.Mkdir("/ok", 1));
      assertTrue(told.isEmpty());
      diskBroken.set(true);
      assertThrows(IOException.class, () -> journal.commit(new LogRecord.Mkdir("/lost", 2)));
      assertEquals(1, told.size(), "the server is told once, so it can step down");
      assertEquals(StateError.NOT_FOUND,
          assertThrows(StateException.class, () -> state.fileStatus("/lost")).error(), "not applied");
      diskBroken.set(false);
      IOException later = assertThrows(IOException.class, () -> journal.commit(new LogRecord.Mkdir("/later", 3)));
      assertTrue(later.getMessage().contains("stopped accepting mutations"), later.getMessage());
      assertEquals(1, told.size(), "told once only");
      assertThrows(StateException.class, () -> state.fileStatus("/later"));
      assertTrue(state.fileStatus("/ok").directory());
    }
  }

  @Test
  void aCheckpointCoversExactlyTheRecordsBeforeItsSegmentSwitch() throws Exception {
    MasterState state = fresh();
    try (Journal journal = new Journal(state, OpLog.open(dir, 0, OpLog.SyncHook.NONE), dir, 5, 2, 0, 0)) {
      for (int i = 0; i < 12; i++) {
        journal.commit(new LogRecord.Mkdir("/d" + i, i));
      }
      // Automatic checkpoints (every 5 records) may be running; ask until one says nothing is new.
      int rounds = 0;
      while (journal.checkpoint().get(60, TimeUnit.SECONDS) != null) {
        assertTrue(++rounds < 10, "checkpoints keep finding new records");
      }
      assertEquals(12L, MetaFiles.checkpoints(dir).lastKey(), "the last one covers every record");
      journal.commit(new LogRecord.Mkdir("/after", 99));
    }
    assertTrue(MetaFiles.checkpoints(dir).lastKey() >= 5);
    MasterState recovered = fresh();
    Recovery.Result result = Recovery.recover(dir, recovered::restore, e -> recovered.apply(e.record()));
    assertEquals(13, result.lastSequence());
    assertEquals(state.image(), recovered.image());
  }
}
