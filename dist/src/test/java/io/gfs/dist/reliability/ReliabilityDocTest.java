package io.gfs.dist.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed table of docs/reliability.md has the generated shape; the generator merges rows as documented. */
class ReliabilityDocTest {
  @Test
  void theCommittedTableHasTheGeneratedShape() throws Exception {
    String doc = Files.readString(ReliabilityTable.document(), StandardCharsets.UTF_8);
    List<ScenarioRow> rows = ReliabilityTable.parse(doc);
    for (ScenarioRow r : rows) {
      assertTrue(ReliabilityTable.NAME.matcher(r.scenario()).matches(), r.toString());
    }
    String begin = doc.substring(doc.indexOf(ReliabilityTable.BEGIN) + ReliabilityTable.BEGIN.length(),
        doc.indexOf(ReliabilityTable.END)).strip();
    assertEquals(ReliabilityTable.render(rows).strip(), begin, "the table is exactly what the generator writes");
  }

  @Test
  void aMalformedTableIsRefused() {
    String header = ReliabilityTable.BEGIN + "\n" + ReliabilityTable.render(List.of());
    assertThrows(IllegalArgumentException.class, () -> ReliabilityTable.parse(header
        + "| data | 1 | many | 0 | 0 | 0 | - | 0 |\n" + ReliabilityTable.END));
    assertThrows(IllegalArgumentException.class, () -> ReliabilityTable.parse(header
        + "| data | 1 | 2 | 0 | 0 |\n" + ReliabilityTable.END));
    assertThrows(IllegalArgumentException.class, () -> ReliabilityTable.parse("no markers"));
  }

  @Test
  void rewritingMergesFreshRowsAndFillsAnotherSuitesColumn(@TempDir Path dir) throws Exception {
    Path doc = dir.resolve("reliability.md");
    Files.writeString(doc, "intro\n" + ReliabilityTable.BEGIN + "\n" + ReliabilityTable.render(List.of(
        new ScenarioRow("old", "1", "10", "2", "0", "0", "-", "0"),
        new ScenarioRow("kept", "2", "5", "1", "0", "0", "-", "0"))) + ReliabilityTable.END + "\nafter\n");
    Path results = Files.createDirectories(dir.resolve("results"));
    String header = String.join("\t", ScenarioRow.HEADER) + "\n";
    Files.writeString(results.resolve("old.tsv"), header + "old\t9\t99\t7\t0\t0\t-\t1\n");
    Files.writeString(results.resolve("fuzz.tsv"), header + "kept\t-\t-\t-\t-\t-\t12345\t-\n");
    ReliabilityTable.rewrite(doc, results);
    String text = Files.readString(doc);
    List<ScenarioRow> rows = ReliabilityTable.parse(text);
    assertEquals(List.of(new ScenarioRow("kept", "2", "5", "1", "0", "0", "12345", "0"),
        new ScenarioRow("old", "9", "99", "7", "0", "0", "-", "1")), rows);
    assertTrue(text.startsWith("intro\n") && text.endsWith(ReliabilityTable.END + "\nafter\n"), text);
  }

  @Test
  void aSoakRunGetsARowOfItsOwn() {
    assertEquals("data-under-faults", new ReliabilityRun("data-under-faults", 1, 40_000, false).rowName());
    assertEquals("data-under-faults-soak-20min",
        new ReliabilityRun("data-under-faults", 1, 1_200_000, true).rowName());
  }

  @Test
  void rowsAndFilesWithoutTheClientViewStillReadAndGainIt(@TempDir Path dir) throws Exception {
    String oldTitles = "| " + String.join(" | ", ReliabilityTable.TITLES.subList(0, ScenarioRow.CHECKER_COLUMNS))
        + " |\n|---|---:|---:|---:|---:|---:|---:|---:|\n";
    Path doc = dir.resolve("reliability.md");
    Files.writeString(doc, ReliabilityTable.BEGIN + "\n" + oldTitles + "| old | 1 | 10 | 2 | 0 | 0 | - | 0 |\n"
        + ReliabilityTable.END + "\n");
    Path results = Files.createDirectories(dir.resolve("results"));
    Files.writeString(results.resolve("bad.tsv"), String.join("\t", ScenarioRow.HEADER.subList(0,
        ScenarioRow.CHECKER_COLUMNS)) + "\nbad\t-\t5\t-\t0\t0\t77\t0\n");
    Files.writeString(results.resolve("slow.tsv"), String.join("\t", ScenarioRow.HEADER)
        + "\nslow\t3\t40\t1\t0\t0\t-\t0\t812\t2900\t4\n");
    ReliabilityTable.rewrite(doc, results);
    assertEquals(List.of(new ScenarioRow("bad", "-", "5", "-", "0", "0", "77", "0"),
        new ScenarioRow("old", "1", "10", "2", "0", "0", "-", "0"),
        new ScenarioRow("slow", "3", "40", "1", "0", "0", "-", "0", "812", "2900", "4")),
        ReliabilityTable.parse(Files.readString(doc)));
    assertTrue(Files.readString(doc).contains("| Client KiB/s |"), "the rewritten table has every column");
  }
}
