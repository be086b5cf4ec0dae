package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Replaying the logged records, or restoring a checkpoint image, gives exactly the state live operation built. */
class ReplayTest {
  private static final long REQUESTED_AT_MILLIS = 1_000_000;

  private static StateFixture workload(long seed) {
    StateFixture f = new StateFixture(3, seed, seed % 2 == 0 ? 0 : 30_000); // odd seeds: deletes hide, scans purge
    SplittableRandom random = new SplittableRandom(seed);
    List.of("cs1", "cs2", "cs3", "cs4").forEach(f::heartbeat);
    f.apply(new LogRecord.NewTerm(seed, f.nowMillis)); // an elected master's first record (issue 4)
    // A client's call with its request id (issue 4): replay must rebuild the retry cache too.
    f.apply(new LogRecord.Requested(new RetryCache.Key(seed, -seed, 1), REQUESTED_AT_MILLIS,
        new LogRecord.Mkdir("/requested" + seed, f.nowMillis)));
    // A chunk logged by a master that died before any chunkserver created it, abandoned by the next writer.
    f.create("/abandoned");
    f.allocateOnly("/abandoned", 0);
    f.nowMillis += StateFixture.DEAD_AFTER_MILLIS;
    List.of("cs1", "cs2", "cs3", "cs4").forEach(f::heartbeat);
    f.acquire("/abandoned", 0, List.of("cs1", "cs2", "cs3", "cs4"));
    for (int i = 0; i < 600; i++) {
      String dir = "/d" + random.nextInt(4) + "/e" + random.nextInt(3);
      String file = dir + "/f" + random.nextInt(6);
      try {
        switch (random.nextInt(20)) {
          case 0 -> f.mkdirs(dir);
          case 1 -> f.create(file, random.nextBoolean(), true, random.nextInt(4));
          case 2 -> f.remove(random.nextBoolean() ? file : dir, true);
          case 3 -> f.rename(file, "/d" + random.nextInt(4) + "/moved" + i);
          case 4, 5 -> f.acquire(file, -1, List.of("cs1", "cs2", "cs3", "cs4"));
          case 6 -> f.mkdirs(dir + "/m" + i, "u" + random.nextInt(3), null, random.nextInt(0777));
          case 7 -> f.setOwner(random.nextBoolean() ? file : dir, "o" + random.nextInt(3), "g" + random.nextInt(3));
          case 8 -> f.setTimes(random.nextBoolean() ? file : dir, random.nextInt(1000) - 1, random.nextInt(1000) - 1);
          case 9 -> f.setPermission(random.nextBoolean() ? file : dir, random.nextInt(01000));
          case 10 -> f.setReplication(file, 1 + random.nextInt(5));
          case 11, 12 -> {
            f.create(dir + "/src" + i);
            f.concat(file, dir + "/src" + i);
          }
          case 13 -> {
            f.fill(file);
            if (random.nextBoolean()) {
              f.logLearnedLengths(); // as the active master's timers do, now and then
            }
          }
          case 14 -> {
            try (LockTable.Held l = f.state.lockUndelete(file)) {
              f.commit(f.state.decideUndelete(file, ++f.nowMillis));
            }
          }
          case 15 -> {
            for (String hidden : f.state.expiredDeleted(f.nowMillis, 100)) {
              try (LockTable.Held l = f.state.lockWrite(hidden)) {
                f.commit(f.state.decidePurge(hidden, f.nowMillis));
              }
            }
          }
          case 18 -> {
            try (LockTable.Held l = f.state.lockWrite(dir)) {
              f.commit(f.state.decideSetPolicy(dir, random.nextInt(4) - 1, random.nextInt(3) - 1));
            }
          }
          case 16 -> {
            f.snapshot(random.nextBoolean() ? file : dir, "s" + random.nextInt(3));
            f.acquire(file, -1, List.of("cs1", "cs2", "cs3", "cs4")); // copy-on-write when it has a chunk
          }
          case 17 -> {
            String target = random.nextBoolean() ? file : dir;
            try (LockTable.Held l = f.state.lockSnapshots(target)) {
              f.commit(random.nextBoolean() ? f.state.decideDeleteSnapshot(target, "s" + random.nextInt(3))
                  : f.state.decideRenameSnapshot(target, "s" + random.nextInt(3), "s" + random.nextInt(3),
                      ++f.nowMillis));
            }
          }
          default -> {
            f.nowMillis += StateFixture.LEASE_MILLIS;
            // Every server reports every chunk at its current version, so the next grants bump versions.
            List<HeartbeatReport.Replica> held = f.state.image().chunks().stream()
                .map(c -> new HeartbeatReport.Replica(c.handle(), c.version(), 0)).toList();
            List.of("cs1", "cs2", "cs3", "cs4").forEach(s -> f.heartbeat(s, held, List.of(), List.of()));
          }
        }
      } catch (StateException expected) {
        // refusals are part of the workload; they log nothing
      }
    }
    return f;
  }

  @Test
  void replayEqualsLiveApply() {
    java.util.Set<LogRecord.Kind> kinds = java.util.EnumSet.noneOf(LogRecord.Kind.class);
    for (long seed = 1; seed <= 5; seed++) {
      StateFixture f = workload(seed);
      f.log.forEach(r -> kinds.add(r.kind()));
      MasterState replayed = f.replay();
      assertEquals(f.state.image(), replayed.image(), "seed " + seed);
      assertEquals(f.state.fileCount(), replayed.fileCount());
      assertEquals(f.state.directoryCount(), replayed.directoryCount());
      assertEquals(1, replayed.retryCacheSize());
      assertTrue(replayed.retried(new RetryCache.Key(seed, -seed, 1), REQUESTED_AT_MILLIS).isPresent());
    }
    assertEquals(java.util.EnumSet.allOf(LogRecord.Kind.class), kinds, "the workload exercises every record kind");
  }

  @Test
  void checkpointRestorePlusLaterRecordsEqualsLive() {
    StateFixture f = workload(11);
    f.logLearnedLengths();
    int cut = f.log.size() / 2;
    MasterState first = StateFixture.fresh();
    f.log.subList(0, cut).forEach(first::apply);
    MasterState restored = StateFixture.fresh();
    restored.restore(first.image());
    restored.checkInvariants();
    assertEquals(first.image(), restored.image());
    f.log.subList(cut, f.log.size()).forEach(restored::apply);
    restored.checkInvariants();
    assertEquals(f.state.image(), restored.image());
  }

  @Test
  void handleCounterSurvivesDeletingTheNewestChunk() {
    StateFixture f = new StateFixture();
    f.heartbeat("cs1");
    f.create("/f");
    long handle = f.acquire("/f", 0, List.of("cs1")).handle();
    f.remove("/f", false);
    MasterState restored = StateFixture.fresh();
    restored.restore(f.state.image());
    assertEquals(handle + 1, restored.image().nextHandle(), "a deleted chunk's handle is never reused");
  }
}
