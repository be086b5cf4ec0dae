package io.gfs.master.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gfs.common.ConfigException;
import io.gfs.common.HostPort;
import io.gfs.master.state.HeartbeatReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rack mapping like Hadoop's net.topology.*: table, then script, then the declared rack, then /default-rack. */
class RackResolverTest {
  @TempDir
  Path dir;

  private static final HostPort A = new HostPort("10.0.0.1", 7001);
  private static final HostPort A2 = new HostPort("10.0.0.1", 7002);
  private static final HostPort B = new HostPort("10.0.0.2", 7001);
  private static final HostPort C = new HostPort("10.0.0.3", 7001);

  @Test
  void theTableGivesRacksByHostOrHostAndPortWithCommentsAndBlankLines() {
    Map<String, String> table = RackResolver.parseTable(List.of("# racks", "", "10.0.0.1 /dc1/r1",
        "10.0.0.1:7002   r9  # a second server on that host", "  10.0.0.2\t/dc1/r2  "), "t");
    assertEquals(Map.of("10.0.0.1", "/dc1/r1", "10.0.0.1:7002", "/r9", "10.0.0.2", "/dc1/r2"), table);
    RackResolver racks = new RackResolver(table, null);
    assertEquals("/dc1/r1", racks.rackOf(A, "/declared"));
    assertEquals("/r9", racks.rackOf(A2, "/declared"), "host:port before host");
    assertEquals("/dc1/r2", racks.rackOf(B, ""));
    assertEquals("/declared", racks.rackOf(C, "/declared"), "not in the table: its own rack");
    assertEquals(RackResolver.DEFAULT_RACK, racks.rackOf(C, " "), "nothing declared either");
  }

  @Test
  void aMalformedTableStopsTheStart() throws Exception {
    assertThrows(ConfigException.class, () -> RackResolver.parseTable(List.of("10.0.0.1 /r1 extra"), "t"));
    Path table = dir.resolve("racks.txt");
    Files.writeString(table, "10.0.0.1\n");
    assertThrows(ConfigException.class, () -> RackResolver.from(table.toString(), ""));
    assertThrows(ConfigException.class, () -> RackResolver.from(dir.resolve("missing").toString(), ""));
    assertThrows(ConfigException.class, () -> RackResolver.from("", table.toString()), "not executable");
  }

  @Test
  void theScriptAnswersWhatTheTableDoesNotOncePerChunkserver() throws Exception {
    Path calls = dir.resolve("calls");
    Path script = executable("topology.sh", "#!/bin/sh\necho \"$1 $2\" >> " + calls + "\n"
        + "case \"$1\" in 10.0.0.2) echo /script/r2 ;; 10.0.0.3) exit 3 ;; esac\n");
    Path table = dir.resolve("racks.txt");
    Files.writeString(table, "10.0.0.1 /table/r1\n");
    RackResolver racks = RackResolver.from(table.toString(), script.toString());
    assertEquals("/table/r1", racks.rackOf(A, "/declared"));
    assertEquals("/script/r2", racks.rackOf(B, "/declared"));
    assertEquals("/script/r2", racks.rackOf(B, "/declared"));
    assertEquals("/declared", racks.rackOf(C, "/declared"), "the script failed: its own rack");
    assertEquals("/declared", racks.rackOf(C, "/declared"));
    assertEquals(List.of("10.0.0.2 10.0.0.2:7001", "10.0.0.3 10.0.0.3:7001"), Files.readAllLines(calls),
        "run with host and host:port, once per chunkserver, never for a host the table knows");
    HeartbeatReport report = new HeartbeatReport("id", B, "/declared", 1, 0, List.of(), List.of(), List.of());
    assertEquals("/script/r2", racks.resolve(report).rack());
  }

  @Test
  void aScriptThatHangsIsCutOffAndTheDeclaredRackStays() throws Exception {
    // Without the timeout it would answer /never after 10 s.
    Path script = executable("slow.sh", "#!/bin/sh\nsleep 10\necho /never\n");
    RackResolver racks = RackResolver.from("", script.toString());
    assertEquals("/declared", racks.rackOf(A, "/declared"));
  }

  private Path executable(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
