package io.gfs.master.server;

import io.gfs.common.ConfigException;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.master.state.HeartbeatReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which rack a chunkserver sits in [0066-0068], the way Hadoop's net.topology.* resolves it: a table file of
 * "host rack" lines (net.topology.table.file.name; gfs.master.topology.table), then a script run with the host
 * (net.topology.script.file.name; gfs.master.topology.script), then the rack the chunkserver declares itself
 * (gfs.chunkserver.rack), then /default-rack. A host may be listed as a name or address, or as host:port when several
 * chunkservers share a host. Resolved when a chunkserver registers and cached per address (like Hadoop's
 * CachedDNSToSwitchMapping), so the script runs once per chunkserver, not once per heartbeat.
 */
final class RackResolver {
  private static final Logger LOG = LoggerFactory.getLogger(RackResolver.class);
  static final String DEFAULT_RACK = GfsConfigKeys.ChunkServer.RACK.defaultValue();
  /** A script that takes longer is killed and the chunkserver keeps its declared rack. */
  static final long SCRIPT_TIMEOUT_MILLIS = 5_000;

  private final Map<String, String> table;
  private final Path script;
  /** address to the rack the table or script gave (empty: neither knew it). */
  private final Map<HostPort, Optional<String>> resolved = new ConcurrentHashMap<>();

  RackResolver(Map<String, String> table, Path script) {
    this.table = Map.copyOf(table);
    this.script = script;
  }

  /** No table, no script: every chunkserver keeps the rack it declares. */
  static RackResolver declaredOnly() {
    return new RackResolver(Map.of(), null);
  }

  /** From the two keys' values (empty: not set); a table that cannot be read or parsed stops the master. */
  static RackResolver from(String tableFile, String scriptFile) {
    Map<String, String> table = Map.of();
    if (!tableFile.isEmpty()) {
      try {
        table = parseTable(Files.readAllLines(Path.of(tableFile), StandardCharsets.UTF_8), tableFile);
      } catch (IOException e) {
        throw new ConfigException("key '" + GfsConfigKeys.Master.TOPOLOGY_TABLE.name() + "': cannot read "
            + tableFile + ": " + e.getMessage());
      }
    }
    Path script = null;
    if (!scriptFile.isEmpty()) {
      script = Path.of(scriptFile);
      if (!Files.isExecutable(script)) {
        throw new ConfigException("key '" + GfsConfigKeys.Master.TOPOLOGY_SCRIPT.name() + "': " + scriptFile
            + " is not an executable file");
      }
    }
    return new RackResolver(table, script);
  }

  /** "host rack" per line; blank lines and # comments skipped; a rack is made to start with "/". */
  static Map<String, String> parseTable(List<String> lines, String source) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int hash = line.indexOf('#');
      String[] fields = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
      if (fields.length == 1 && fields[0].isEmpty()) {
        continue;
      }
      if (fields.length != 2) {
        throw new ConfigException("key '" + GfsConfigKeys.Master.TOPOLOGY_TABLE.name() + "': " + source + " line "
            + (i + 1) + " is not 'host rack': " + line);
      }
      out.put(fields[0], rackName(fields[1]));
    }
    return out;
  }

  private static String rackName(String rack) {
    return rack.startsWith("/") ? rack : "/" + rack;
  }

  /** The report with the chunkserver's rack resolved. */
  HeartbeatReport resolve(HeartbeatReport report) {
    String rack = rackOf(report.address(), report.rack());
    if (rack.equals(report.rack())) {
      return report;
    }
    return new HeartbeatReport(report.serverId(), report.address(), rack, report.capacityBytes(),
        report.usedBytes(), report.chunks(), report.leaseExtensionRequests(), report.corruptChunks());
  }

  /** The rack of the chunkserver at address, which declares declaredRack (blank: none). */
  String rackOf(HostPort address, String declaredRack) {
    Optional<String> mapped = resolved.computeIfAbsent(address, this::lookUp);
    if (mapped.isPresent()) {
      return mapped.get();
    }
    return declaredRack == null || declaredRack.isBlank() ? DEFAULT_RACK : declaredRack;
  }

  private Optional<String> lookUp(HostPort address) {
    String rack = table.get(address.toString());
    if (rack == null) {
      rack = table.get(address.host());
    }
    if (rack == null && script != null) {
      rack = runScript(address);
    }
    if (rack != null) {
      LOG.info("chunkserver {} is in rack {}", address, rack);
    }
    return Optional.ofNullable(rack);
  }

  /** The script's first output line for (host, host:port), or null when it failed, timed out or said nothing. */
  private String runScript(HostPort address) {
    Process process = null;
    try {
      process = new ProcessBuilder(script.toString(), address.host(), address.toString())
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      // Wait first, read after: a rack is one short line, well within the pipe's buffer, and a script that hangs
      // without output must not hang the heartbeat with it.
      if (!process.waitFor(SCRIPT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
        LOG.warn("topology script {} failed or timed out for {}: it keeps its declared rack", script, address);
        return null;
      }
      String line;
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        line = out.readLine();
      }
      return line == null || line.isBlank() ? null : rackName(line.trim().split("\\s+")[0]);
    } catch (IOException e) {
      LOG.warn("topology script {} could not run for {}: {}", script, address, e.toString());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      if (process != null) {
        process.destroyForcibly();
      }
    }
  }
}
