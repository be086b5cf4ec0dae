package io.gfs.master.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.ConfigException;
import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.master.state.StateError;
import io.gfs.thrift.gen.ErrorCode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MasterConfigTest {
  private static MasterConfig parse(Map<String, String> extra) {
    Map<String, String> values = new HashMap<>(Map.of(GfsConfigKeys.Master.META_DIR.name(), "/tmp/meta"));
    values.putAll(extra);
    return MasterConfig.from(GfsConfig.of(values));
  }

  @Test
  void defaults() {
    MasterConfig config = parse(Map.of());
    assertEquals(7700, config.bind().port());
    assertEquals(64L << 20, config.chunkSizeBytes());
    assertEquals(60_000, config.leaseDurationMillis());
    assertEquals(3, config.replicationDefault());
    assertEquals("", config.zookeeperConnect());
  }

  @Test
  void badValuesAreRefusedWithTheKeyNamed() {
    assertTrue(assertThrows(ConfigException.class, () -> MasterConfig.from(GfsConfig.of(Map.of()))).getMessage()
        .contains(GfsConfigKeys.Master.META_DIR.name()));
    assertThrows(ConfigException.class, () -> parse(Map.of(GfsConfigKeys.Cluster.CHUNK_SIZE_BYTES.name(), "1000000")));
    assertThrows(ConfigException.class, () -> parse(Map.of(GfsConfigKeys.Cluster.NAME.name(), "a/b")));
    assertThrows(ConfigException.class, () -> parse(Map.of(GfsConfigKeys.Master.PORT.name(), "-1")));
    assertThrows(ConfigException.class, () -> parse(Map.of(GfsConfigKeys.Master.CHUNKSERVER_DEAD_AFTER_MS.name(),
        "1000", GfsConfigKeys.Master.HEARTBEAT_INTERVAL_MS.name(), "1000")));
  }

  @Test
  void everyStateErrorHasAWireCode() {
    for (StateError error : StateError.values()) {
      assertEquals(error.name(), HandlerGuard.code(error).name(), "state and wire codes share names");
    }
  }

  @Test
  void unexpectedExceptionsBecomeInternalAndBadArgumentsInvalidArgument() {
    assertEquals(ErrorCode.INTERNAL, assertThrows(io.gfs.thrift.gen.GfsException.class,
        () -> HandlerGuard.call("t", () -> {
          throw new IllegalStateException("bug");
        })).getCode());
    assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(io.gfs.thrift.gen.GfsException.class,
        () -> HandlerGuard.call("t", () -> {
          throw new IllegalArgumentException("bad");
        })).getCode());
    assertEquals(ErrorCode.IO_ERROR, assertThrows(io.gfs.thrift.gen.GfsException.class,
        () -> HandlerGuard.call("t", () -> {
          throw new java.io.IOException("disk");
        })).getCode());
  }
}
