package io.gfs.dist.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FileContentCheckerTest {
  private final FileContentChecker checker = new FileContentChecker();
  private final Map<String, byte[]> disk = new HashMap<>();

  private CheckResult check(ExpectedFile... files) {
    return checker.check(List.of(files), path -> {
      byte[] b = disk.get(path);
      if (b == null) {
        throw new FileNotFoundException(path);
      }
      return b;
    });
  }

  @Test
  void identicalClosedAndLongerHsyncedFilesPass() {
    disk.put("/a", Payloads.bytes(7, 0, 1000));
    disk.put("/b", Payloads.bytes(8, 0, 700));
    assertTrue(check(new ExpectedFile("/a", 7, 1000, true), new ExpectedFile("/b", 8, 500, false)).ok());
  }

  @Test
  void aFlippedByteFailsAndIsCountedAsCorrupt() {
    byte[] b = Payloads.bytes(7, 0, 1000);
    b[999] ^= 0x10;
    disk.put("/a", b);
    CheckResult r = check(new ExpectedFile("/a", 7, 1000, true));
    assertFalse(r.ok());
    assertEquals(1, r.corruptBytes());
  }

  @Test
  void aShortOrMissingFileIsLost() {
    disk.put("/a", Payloads.bytes(7, 0, 400));
    CheckResult r = check(new ExpectedFile("/a", 7, 500, false), new ExpectedFile("/gone", 1, 10, true));
    assertFalse(r.ok());
    assertEquals(2, r.acknowledgedLost());
  }

  @Test
  void aClosedFileWithExtraBytesFails() {
    disk.put("/a", Payloads.bytes(7, 0, 1001));
    assertFalse(check(new ExpectedFile("/a", 7, 1000, true)).ok());
  }
}
