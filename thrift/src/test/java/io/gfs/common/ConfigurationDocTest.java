package io.gfs.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md lists exactly the keys of {@link GfsConfigKeys}, with their defaults and descriptions. The
 * table between the markers is generated: run with -Dgfs.rewrite=true to rewrite it, then review the diff.
 */
class ConfigurationDocTest {
  private static final String BEGIN = "<!-- keys:begin (generated from GfsConfigKeys; see ConfigurationDocTest) -->";
  private static final String END = "<!-- keys:end -->";

  @Test
  void docListsEveryKeyWithItsDefault() throws Exception {
    Path doc = Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("configuration.md");
    String text = Files.readString(doc, StandardCharsets.UTF_8);
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    String expected = table();
    if (Boolean.getBoolean("gfs.rewrite")) {
      String rewritten = text.substring(0, begin + BEGIN.length()) + "\n" + expected + text.substring(end);
      Files.writeString(doc, rewritten, StandardCharsets.UTF_8);
      return;
    }
    if (begin < 0 || end < begin) {
      throw new AssertionError(doc + " lacks the generated key table markers");
    }
    assertEquals(expected, text.substring(begin + BEGIN.length() + 1, end),
        "docs/configuration.md is out of date: run mvn -pl thrift test -Dtest=ConfigurationDocTest -Dgfs.rewrite=true");
  }

  private static String table() {
    StringBuilder b = new StringBuilder("| key | default | meaning |\n| --- | --- | --- |\n");
    for (ConfigKey key : GfsConfigKeys.all()) {
      String dflt = key.required() ? "(required)" : key.defaultValue().isEmpty() ? "(empty)" : key.defaultValue();
      b.append("| `").append(key.name()).append("` | ").append(dflt).append(" | ")
          .append(key.description().replace("|", "\\|")).append(" |\n");
    }
    return b.toString();
  }
}
