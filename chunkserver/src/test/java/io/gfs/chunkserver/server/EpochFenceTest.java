package io.gfs.chunkserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EpochFenceTest {
  @TempDir Path dir;

  @Test
  void lowerEpochRefusedAfterHigherOneAdmitted() throws Exception {
    EpochFence fence = EpochFence.inMemory();
    fence.admit(0, "legacy master");
    fence.admit(3, "term 3");
    fence.admit(3, "term 3 again");
    GfsException refused = assertThrows(GfsException.class, () -> fence.admit(2, "assignVersion(chunk 7)"));
    assertEquals(ErrorCode.STALE_EPOCH, refused.getCode());
    assertTrue(refused.getMessage().contains("epoch 2"), refused.getMessage());
    assertFalse(fence.tryAdmit(0, "a master without election after an elected one"));
    assertTrue(fence.tryAdmit(4, "term 4"));
    assertEquals(4, fence.highestEpoch());
  }

  @Test
  void highestEpochSurvivesRestart() throws Exception {
    EpochFence fence = EpochFence.open(dir);
    fence.admit(5, "term 5");
    assertEquals("5", Files.readString(dir.resolve(EpochFence.FILE_NAME)).trim());
    EpochFence reopened = EpochFence.open(dir);
    assertEquals(5, reopened.highestEpoch());
    assertThrows(GfsException.class, () -> reopened.admit(4, "term 4 after restart"));
  }

  @Test
  void garbageInFileIsReportedNotReset() throws Exception {
    Files.writeString(dir.resolve(EpochFence.FILE_NAME), "not-a-number");
    java.io.IOException e = assertThrows(java.io.IOException.class, () -> EpochFence.open(dir));
    assertTrue(e.getMessage().contains("never lower it"), e.getMessage());
  }
}
