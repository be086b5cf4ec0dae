package io.gfs.dist.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The admin tool's parsing and formatting: durations, sizes, arguments and both progress displays. */
class FormatsTest {
  @Test
  void durationsTakeUnitsAndPlainMilliseconds() throws Exception {
    assertEquals(500, Formats.durationMillis("500ms"));
    assertEquals(500, Formats.durationMillis("500"));
    assertEquals(30_000, Formats.durationMillis("30s"));
    assertEquals(900_000, Formats.durationMillis("15m"));
    assertEquals(43_200_000, Formats.durationMillis("12h"));
    assertEquals(604_800_000, Formats.durationMillis("7d"));
    assertEquals(-1, Formats.durationMillis("-1"));
    assertThrows(UsageException.class, () -> Formats.durationMillis("7 days"));
    assertThrows(UsageException.class, () -> Formats.durationMillis("-5s"));
    assertThrows(UsageException.class, () -> Formats.durationMillis("99999999999999999999d"));
  }

  @Test
  void retentionsAndSizesReadBack() {
    assertEquals("7d", Formats.retention(604_800_000));
    assertEquals("90s", Formats.retention(90_000));
    assertEquals("inherit", Formats.retention(-1));
    assertEquals("0 (purged at once)", Formats.retention(0));
    assertEquals("512 B", Formats.bytes(512));
    assertEquals("1.5 KiB", Formats.bytes(1536));
    assertEquals("3.0 GiB", Formats.bytes(3L << 30));
    assertEquals("25.0%", Formats.percent(1, 4));
    assertEquals("0.0%", Formats.percent(1, 0));
  }

  @Test
  void argumentsAcceptOnlyDeclaredNames() throws Exception {
    Args args = Args.parse(List.of("set", "/d", "--replication", "2", "-wait"), Set.of("wait"),
        Set.of("replication"));
    assertEquals("set", args.word(0, "action"));
    assertEquals("/d", args.word(1, "dir"));
    assertEquals("2", args.option("replication"));
    assertEquals(true, args.has("wait"));
    assertThrows(UsageException.class, () -> args.word(2, "more"));
    assertThrows(UsageException.class, () -> args.atMost(1));
    assertThrows(UsageException.class, () -> Args.parse(List.of("--bogus"), Set.of(), Set.of()));
    assertThrows(UsageException.class, () -> Args.parse(List.of("--replication"), Set.of(), Set.of("replication")));
  }

  @Test
  void progressIsABarOnATerminalAndPlainLinesElsewhere() {
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    Progress lines = new Progress(new PrintStream(plain, true, StandardCharsets.UTF_8), false);
    lines.update(0, 4, "4 left");
    lines.update(0, 4, "4 left"); // unchanged: not repeated
    lines.update(3, 4, "1 left");
    lines.finish("done");
    assertEquals("  0% 4 left\n 75% 1 left\ndone\n", plain.toString(StandardCharsets.UTF_8));

    ByteArrayOutputStream tty = new ByteArrayOutputStream();
    Progress bar = new Progress(new PrintStream(tty, true, StandardCharsets.UTF_8), true);
    bar.update(1, 2, "half");
    bar.update(2, 2, "all");
    bar.finish("done");
    String shown = tty.toString(StandardCharsets.UTF_8);
    assertEquals("\r[###############...............]  50% half"
        + "\r[##############################] 100% all \ndone\n", shown);
  }
}
