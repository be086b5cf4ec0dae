package io.gfs.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gfs.common.rpc.RpcLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of configuration parsing: typed getters (whole numbers, byte sizes with suffixes, durations,
 * booleans, lists, host:port), the RPC limits every server derives from them, and properties files. A value is
 * either read within its stated range or refused with {@link ConfigException} naming the key; nothing else escapes.
 */
class GfsConfigFuzzTest {
  private static final List<ConfigKey> KEYS = GfsConfigKeys.all();
  private static Path dir;

  @BeforeAll
  static void makeDir() throws IOException {
    dir = Files.createTempDirectory("gfs-config-fuzz");
  }

  @AfterAll
  static void removeDir() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(dir);
  }

  @FuzzTest(maxDuration = "2m")
  void typedGettersReadInRangeOrRefuse(FuzzedDataProvider data) {
    ConfigKey key = KEYS.get(data.consumeInt(0, KEYS.size() - 1));
    long a = data.consumeLong();
    long b = data.consumeLong();
    long min = Math.min(a, b);
    long max = Math.max(a, b);
    String value = data.consumeRemainingAsString();
    GfsConfig config = GfsConfig.of(Map.of(key.name(), value));
    try {
      long read = config.getLong(key, min, max);
      assertTrue(read >= min && read <= max);
    } catch (ConfigException refused) {
      assertTrue(refused.getMessage().contains(key.name()), refused.getMessage());
    }
    try {
      long bytes = config.getBytes(key, min, max);
      assertTrue(bytes >= min && bytes <= max);
    } catch (ConfigException refused) {
      assertTrue(refused.getMessage().contains(key.name()), refused.getMessage());
    }
    try {
      int small = config.getInt(key, clampToInt(min), clampToInt(max));
      assertTrue(small >= clampToInt(min) && small <= clampToInt(max));
    } catch (ConfigException refused) {
      assertTrue(refused.getMessage().contains(key.name()), refused.getMessage());
    }
    try {
      boolean flag = config.getBoolean(key);
      assertEquals(String.valueOf(flag), config.raw(key).toLowerCase(java.util.Locale.ROOT));
    } catch (ConfigException refused) {
      assertTrue(refused.getMessage().contains(key.name()), refused.getMessage());
    }
    try {
      HostPort address = config.getHostPort(key);
      assertEquals(address, HostPort.parse(address.toString()), "an address survives printing and parsing");
    } catch (ConfigException refused) {
      assertTrue(refused.getMessage().contains(key.name()), refused.getMessage());
    }
    try {
      for (String element : config.getList(key)) {
        assertFalse(element.isBlank() || element.contains(","), element);
        assertEquals(element.trim(), element);
      }
    } catch (ConfigException refused) {
      assertTrue(refused.getMessage().contains(key.name()), refused.getMessage()); // a required key left empty
    }
  }

  /** The int nearest to {@code value} (a plain cast of 2^40 would be 0: found by this fuzz test, in the test). */
  private static int clampToInt(long value) {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
  }

  @FuzzTest(maxDuration = "2m")
  void rpcLimitsAreConsistentOrRefused(FuzzedDataProvider data) {
    List<ConfigKey> rpcKeys = List.of(GfsConfigKeys.Rpc.FRAME_BYTES_MAX, GfsConfigKeys.Rpc.STRING_BYTES_MAX,
        GfsConfigKeys.Rpc.CONTAINER_LENGTH_MAX, GfsConfigKeys.Rpc.WORKER_THREADS, GfsConfigKeys.Rpc.SELECTOR_THREADS,
        GfsConfigKeys.Rpc.QUEUE_LENGTH_MAX, GfsConfigKeys.Rpc.READ_BUFFER_BYTES_MAX, GfsConfigKeys.Rpc.IDLE_TIMEOUT_MS,
        GfsConfigKeys.Rpc.CALL_TIMEOUT_MS);
    Map<String, String> values = new HashMap<>();
    int count = data.consumeInt(0, rpcKeys.size());
    for (int i = 0; i < count; i++) {
      values.put(rpcKeys.get(data.consumeInt(0, rpcKeys.size() - 1)).name(), data.consumeString(24));
    }
    RpcLimits limits;
    try {
      limits = RpcLimits.from(GfsConfig.of(values));
    } catch (ConfigException refused) {
      assertTrue(refused.getMessage().contains("gfs.rpc."), refused.getMessage());
      return;
    }
    assertTrue(limits.frameBytesMax() >= 2 * GfsConfigKeys.DATA_PIECE_BYTES_MAX);
    assertTrue(limits.stringBytesMax() <= limits.frameBytesMax());
    assertTrue(limits.readBufferBytesMax() >= limits.frameBytesMax());
  }

  @FuzzTest(maxDuration = "2m")
  void propertiesFilesLoadOrRefuse(byte[] file) throws IOException {
    Path path = dir.resolve("gfs.properties");
    Files.write(path, file);
    GfsConfig config;
    try {
      config = GfsConfig.load(path);
    } catch (ConfigException refused) {
      assertTrue(refused.getMessage().startsWith(path.toString()), refused.getMessage());
      return;
    } catch (java.nio.charset.CharacterCodingException notUtf8) {
      return; // an IOException naming the encoding problem: the server refuses to start with it
    }
    for (ConfigKey key : KEYS) {
      if (config.isSet(key)) {
        String raw = config.raw(key);
        assertEquals(raw.trim(), raw);
      }
    }
    assertTrue(new String(file, StandardCharsets.ISO_8859_1).length() == file.length);
  }
}
