package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HDFS concat on the master: metadata only, with HDFS's rules. */
class ConcatTest {
  private static final long FULL = StateFixture.CHUNK_SIZE;
  private final StateFixture f = new StateFixture();

  @BeforeEach
  void chunkserver() {
    f.heartbeat("cs1");
  }

  private List<Long> handles(String path) {
    List<Long> out = new ArrayList<>();
    f.state.findChunks(path, 0, 100, f.nowMillis).chunks().forEach(c -> out.add(c.handle()));
    return out;
  }

  @Test
  void chunksMoveToTheTargetInOrderAndSourcesDisappear() {
    f.create("/d/t");
    f.create("/d/a");
    f.create("/d/b");
    List<Long> expected = new ArrayList<>(f.writeChunks("/d/t", FULL, FULL));
    expected.addAll(f.writeChunks("/d/a", FULL));
    expected.addAll(f.writeChunks("/d/b", FULL, 17));
    long files = f.state.fileCount();
    long chunks = f.state.chunkCount();
    f.concat("/d/t", "/d/a", "/d/b");
    assertEquals(expected, handles("/d/t"));
    assertEquals(4 * FULL + 17, f.state.fileStatus("/d/t").lengthBytes());
    assertEquals(List.of("/d/t"), f.state.listStatus("/d").stream().map(FileStatus::path).toList());
    assertEquals(files - 2, f.state.fileCount());
    assertEquals(chunks, f.state.chunkCount(), "no chunk copied or released");
    MasterState replayed = f.replay();
    assertEquals(f.state.image(), replayed.image());
    // The target goes on growing after its new last chunk.
    f.writeChunks("/d/t", 5);
    assertEquals(6, f.state.fileStatus("/d/t").chunkCount());
  }

  @Test
  void emptyTargetAndEmptyMiddleSourcesAreFine() {
    f.create("/d/t");
    f.create("/d/empty");
    f.create("/d/a");
    List<Long> a = f.writeChunks("/d/a", 3);
    f.concat("/d/t", "/d/empty", "/d/a");
    assertEquals(a, handles("/d/t"));
  }

  @Test
  void refusals() {
    f.create("/d/t");
    f.create("/d/a");
    f.create("/d/partial");
    f.create("/e/other");
    f.mkdirs("/d/dir");
    f.writeChunks("/d/t", FULL);
    f.writeChunks("/d/a", FULL);
    f.writeChunks("/d/partial", FULL - 1, FULL);
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> f.concat("/d/t")), "no sources");
    assertEquals(StateError.NOT_FOUND, f.error(() -> f.concat("/d/missing", "/d/a")));
    assertEquals(StateError.NOT_FOUND, f.error(() -> f.concat("/d/t", "/d/missing")));
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> f.concat("/d/t", "/e/other")), "another directory");
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> f.concat("/d/t", "/d/t")), "the target itself");
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> f.concat("/d/t", "/d/a", "/d/a")), "named twice");
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> f.concat("/d/t", "/d/dir")), "a directory");
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> f.concat("/d/dir", "/d/a")), "into a directory");
    StateException partial = org.junit.jupiter.api.Assertions.assertThrows(StateException.class,
        () -> f.concat("/d/t", "/d/partial", "/d/a"));
    assertTrue(partial.getMessage().contains("chunk 0 of /d/partial holds " + (FULL - 1) + " bytes"),
        partial.getMessage());
    f.create("/d/t2");
    f.writeChunks("/d/t2", 10);
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> f.concat("/d/t2", "/d/a")), "target's last not full");
    assertEquals(StateError.INVALID_PATH, f.error(() -> f.concat("/d/t", "d/a")));
    assertEquals(3 + 2, f.state.fileCount());
  }
}
