package io.gfs.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Coverage-guided fuzzing of the one path parser both the master and the client trust. A path is either refused with
 * {@link GfsPaths.InvalidPathException} (the master's INVALID_PATH) or yields components that obey every rule the
 * class documents, and normalizing is idempotent. Saved inputs (src/test/resources/io/gfs/common/GfsPathsFuzzTestInputs)
 * run in every build; {@code JAZZER_FUZZ=1} fuzzes (docs/reliability.md, "Fuzzing").
 */
class GfsPathsFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void componentsAreValidOrRefused(FuzzedDataProvider data) {
    String path = data.consumeRemainingAsString();
    List<String> components;
    try {
      components = GfsPaths.components(path);
    } catch (GfsPaths.InvalidPathException refused) {
      assertTrue(refused.getMessage().startsWith("invalid path "), refused.getMessage());
      return; // the only way to refuse
    }
    assertTrue(path.startsWith("/"), path);
    assertTrue(path.getBytes(StandardCharsets.UTF_8).length <= GfsPaths.PATH_BYTES_MAX);
    for (String c : components) {
      assertFalse(c.isEmpty() || c.equals(".") || c.equals(".."), c);
      assertFalse(c.indexOf('/') >= 0 || c.indexOf('\0') >= 0, c);
      assertTrue(c.getBytes(StandardCharsets.UTF_8).length <= GfsPaths.COMPONENT_BYTES_MAX, c);
    }
    String normal = GfsPaths.normalize(path);
    assertEquals(GfsPaths.join(components), normal);
    assertEquals(normal, GfsPaths.normalize(normal), "normalize is idempotent");
    assertEquals(components, GfsPaths.components(normal));
    assertTrue(normal.equals("/") || !normal.endsWith("/"), normal);
  }
}
