package io.gfs.common.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.thrift.gen.ChunkChecksum;
import io.gfs.thrift.gen.ChunkServerService;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.Mutation;
import io.gfs.thrift.gen.MutationKind;
import io.gfs.thrift.gen.ReadResult;
import io.gfs.thrift.gen.ServerAddress;
import io.gfs.thrift.gen.WriteRequest;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The diagnostic RPC log of a real RpcServer: every call in order with its caller, time and outcome; no file data. */
class DiagnosticLogIT {
  /** File data as readable text, so a leak into the log could not hide. */
  private static final byte[] FILE_DATA = "THE-FILE-DATA-MUST-NEVER-BE-LOGGED;".repeat(3000)
      .getBytes(StandardCharsets.US_ASCII);

  @TempDir
  Path dir;
  private RpcServer server;
  private TSocket socket;

  @AfterEach
  void stop() {
    if (socket != null) {
      socket.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** A chunkserver-shaped handler with one canned answer per method. */
  private static ChunkServerService.Iface handler() {
    return (ChunkServerService.Iface) Proxy.newProxyInstance(DiagnosticLogIT.class.getClassLoader(),
        new Class<?>[] {ChunkServerService.Iface.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getChunkChecksum" -> new ChunkChecksum(10, 7);
          case "pushData" -> null;
          case "read" -> new ReadResult(ByteBuffer.wrap(FILE_DATA, 0, Math.min((Integer) args[3], FILE_DATA.length)),
              FILE_DATA.length);
          case "write" -> throw new GfsException(ErrorCode.STALE_VERSION, "chunk 5 is at version 2 here");
          default -> throw new IllegalStateException("a bug in " + method.getName());
        });
  }

  private ChunkServerService.Client start(DiagnosticLog.Settings settings) throws Exception {
    RpcLimits limits = RpcLimits.defaults();
    server = RpcServer.start("chunkserver-cs-test", new HostPort("127.0.0.1", 0),
        new ChunkServerService.Processor<>(handler()), limits, settings);
    TConfiguration configuration = new TConfiguration(limits.frameBytesMax(), limits.frameBytesMax(), 64);
    socket = new TSocket(configuration, "127.0.0.1", server.port(), 30_000);
    TFramedTransport transport = new TFramedTransport(socket, limits.frameBytesMax());
    transport.open();
    return new ChunkServerService.Client(new TBinaryProtocol(transport));
  }

  private String peer() {
    return "127.0.0.1:" + socket.getSocket().getLocalPort();
  }

  private static List<String> lines(Path file) throws Exception {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.contains("\t--\t")) {
        out.add(line);
      }
    }
    return out;
  }

  @Test
  void everyCallIsLoggedInOrderWithCallerDurationAndOutcomeButNoFileData() throws Exception {
    Path logDir = dir.resolve("diag");
    ChunkServerService.Client client = start(new DiagnosticLog.Settings(logDir, 1L << 20, 3, 100));
    assertEquals(new ChunkChecksum(10, 7), client.getChunkChecksum(5, 1, null));
    client.pushData(77, 0, ByteBuffer.wrap(FILE_DATA), true, FILE_DATA.length, 123,
        List.of(new ServerAddress("10.0.0.2", 7710)), null);
    assertEquals(FILE_DATA.length, client.read(5, 1, 0, FILE_DATA.length, null).getData().length);
    GfsException stale = assertThrows(GfsException.class,
        () -> client.write(new WriteRequest(5, 1, 0, 77, FILE_DATA.length, List.of(), false)));
    assertEquals(ErrorCode.STALE_VERSION, stale.getCode());
    assertThrows(TApplicationException.class,
        () -> client.applyMutation(new Mutation(5, 1, 1, MutationKind.WRITE, 0, 77, 10, false)));

    List<RpcEvent> events = server.diagnostics().recentEvents();
    assertEquals(List.of("getChunkChecksum", "pushData", "read", "write", "applyMutation"),
        events.stream().map(RpcEvent::method).toList());
    assertEquals(List.of("OK", "OK", "OK", "STALE_VERSION", "APPLICATION_ERROR"),
        events.stream().map(RpcEvent::outcome).toList());
    for (int i = 0; i < events.size(); i++) {
      RpcEvent event = events.get(i);
      assertEquals(peer(), event.peer());
      assertTrue(event.durationMicros() >= 0);
      assertTrue(i == 0 || event.sequence() > events.get(i - 1).sequence());
    }
    assertEquals("{handle=5, version=1}", events.get(0).request());
    assertTrue(events.get(0).reply().contains("lengthBytes=10, crc32c=7"), events.get(0).reply());
    assertTrue(events.get(1).request().contains("piece=<" + FILE_DATA.length + " bytes>"), events.get(1).request());
    assertTrue(events.get(1).request().contains("host=\"10.0.0.2\", port=7710"), events.get(1).request());
    assertTrue(events.get(1).requestBytes() > FILE_DATA.length);
    assertTrue(events.get(2).reply().contains("data=<" + FILE_DATA.length + " bytes>"), events.get(2).reply());
    assertTrue(events.get(2).replyBytes() > FILE_DATA.length);
    assertTrue(events.get(3).reply().contains("chunk 5 is at version 2 here"), events.get(3).reply());

    assertTrue(server.diagnostics().flush(10_000));
    Path file = server.diagnostics().currentFile();
    assertEquals(logDir.resolve("chunkserver-cs-test.rpc.log"), file);
    List<String> lines = lines(file);
    assertEquals(5, lines.size(), String.join("\n", lines));
    String[] methods = {"getChunkChecksum", "pushData", "read", "write", "applyMutation"};
    String[] outcomes = {"OK", "OK", "OK", "STALE_VERSION", "APPLICATION_ERROR"};
    for (int i = 0; i < lines.size(); i++) {
      String[] columns = lines.get(i).split("\t");
      assertEquals(peer(), columns[2]);
      assertEquals(methods[i], columns[3]);
      assertTrue(columns[4].matches("[0-9]+us"), columns[4]);
      assertEquals(outcomes[i], columns[5]);
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertFalse(text.contains("THE-FILE-DATA"), "file data in the log");
    assertFalse(text.toLowerCase().contains(HexFormat.of().formatHex(FILE_DATA, 0, 8)), "file data in hex");
    assertFalse(text.toLowerCase().contains(HexFormat.ofDelimiter(" ").formatHex(FILE_DATA, 0, 8)), "spaced hex");
    assertTrue(text.contains("serving on 127.0.0.1:" + server.port()), "the file shows when the server came up");
  }

  @Test
  void filesRotateWithinTheirBoundsAndMemoryKeepsTheLatestEvents() throws Exception {
    Path logDir = dir.resolve("rotating");
    long fileBytesMax = 4096;
    ChunkServerService.Client client = start(new DiagnosticLog.Settings(logDir, fileBytesMax, 3, 5));
    for (int i = 0; i < 300; i++) {
      client.getChunkChecksum(1000 + i, 1, null);
    }
    List<RpcEvent> recent = server.diagnostics().recentEvents();
    assertEquals(5, recent.size());
    assertEquals("{handle=1299, version=1}", recent.get(4).request());
    assertTrue(server.diagnostics().flush(10_000));
    try (Stream<Path> files = Files.list(logDir)) {
      assertEquals(List.of("chunkserver-cs-test.rpc.log", "chunkserver-cs-test.rpc.log.1",
          "chunkserver-cs-test.rpc.log.2"), files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    for (String name : List.of("chunkserver-cs-test.rpc.log", "chunkserver-cs-test.rpc.log.1")) {
      assertTrue(Files.size(logDir.resolve(name)) <= fileBytesMax, name);
    }
    List<String> newest = lines(logDir.resolve("chunkserver-cs-test.rpc.log"));
    assertTrue(newest.get(newest.size() - 1).endsWith("{handle=1299, version=1}\t{success={lengthBytes=10, "
        + "crc32c=7}}"), newest.get(newest.size() - 1));
    assertEquals(0, server.diagnostics().droppedEvents());
  }

  /**
   * Issue 6: the worker keeps a small call's bytes and the text is made when read. Each event must render its own
   * call, though the server reuses its frame buffers for the calls after it (copies, not views, are kept).
   */
  @Test
  void smallCallsAreRenderedOnFirstReadFromTheirOwnBytes() throws Exception {
    ChunkServerService.Client client = start(DiagnosticLog.Settings.memoryOnly(10));
    for (int i = 0; i < 4; i++) {
      client.getChunkChecksum(4000 + i, 1 + i, null);
    }
    List<RpcEvent> recent = server.diagnostics().recentEvents();
    assertEquals(4, recent.size());
    for (RpcEvent event : recent) {
      assertFalse(event.rendered(), "rendered on the worker: " + event.method());
    }
    for (int i = 0; i < 4; i++) {
      assertEquals("{handle=" + (4000 + i) + ", version=" + (1 + i) + "}", recent.get(i).request());
      assertEquals("{success={lengthBytes=10, crc32c=7}}", recent.get(i).reply());
      assertEquals("OK", recent.get(i).outcome());
      assertTrue(recent.get(i).rendered());
    }
    // An error reply's outcome is known at once (the metrics need it); its text is the same as before.
    assertThrows(GfsException.class,
        () -> client.write(new WriteRequest(5, 1, 0, 77, 10, List.of(), false)));
    RpcEvent write = server.diagnostics().recentEvents().get(4);
    assertEquals("STALE_VERSION", write.outcome());
    assertTrue(write.reply().contains("chunk 5 is at version 2 here"), write.reply());
    assertTrue(write.request().contains("handle=5") && write.request().contains("dataId=77"), write.request());
  }

  /**
   * Issue 6: a 4 KiB positioned read's reply and a pushed piece's request are just over the size kept as bytes, and
   * were decoded and rendered on the worker for every call. Their binaries are now read as lengths only, and the
   * small rest is rendered when read, with the same text: every call recorded, file data as its length.
   */
  @Test
  void aSmallReadsReplyAndAPiecesRequestAreRenderedOnFirstReadWithoutTheirData() throws Exception {
    Path logDir = dir.resolve("lazy");
    ChunkServerService.Client client = start(new DiagnosticLog.Settings(logDir, 1L << 20, 3, 10));
    for (int i = 0; i < 3; i++) {
      assertEquals(4096, client.read(5, 1, 4096L * i, 4096, null).getData().length);
    }
    client.pushData(78, 0, ByteBuffer.wrap(FILE_DATA, 0, 5000), true, 5000, 123,
        List.of(new ServerAddress("10.0.0.3", 7711)), null);
    assertTrue(server.diagnostics().flush(10_000)); // the file's writer renders each event (possibly before us)
    List<RpcEvent> events = server.diagnostics().recentEvents();
    assertEquals(List.of("read", "read", "read", "pushData"), events.stream().map(RpcEvent::method).toList());
    for (int i = 0; i < 3; i++) {
      RpcEvent read = events.get(i);
      assertEquals("OK", read.outcome());
      assertTrue(read.replyBytes() > DiagnosticProcessor.LAZY_BYTES_MAX, "the case under test: " + read.replyBytes());
      assertEquals("{success={data=<4096 bytes>, chunkLengthBytes=" + FILE_DATA.length + "}}", read.reply());
      assertEquals("{handle=5, version=1, offsetBytes=" + 4096 * i + ", lengthBytes=4096}", read.request());
    }
    RpcEvent push = events.get(3);
    assertTrue(push.requestBytes() > DiagnosticProcessor.LAZY_BYTES_MAX, "the case under test: " + push.requestBytes());
    assertTrue(push.request().startsWith("{dataId=78, pieceOffsetBytes=0, piece=<5000 bytes>, last=true"),
        push.request());
    assertTrue(push.request().contains("host=\"10.0.0.3\", port=7711"), push.request());
    String text = Files.readString(server.diagnostics().currentFile(), StandardCharsets.UTF_8);
    assertTrue(text.contains("data=<4096 bytes>") && text.contains("piece=<5000 bytes>"), text);
    assertFalse(text.contains("THE-FILE-DATA"), "file data in the log");
  }

  /** Without a file, nobody renders: the worker left the texts of a 4 KiB read's reply and a piece's request. */
  @Test
  void theWorkerLeavesASmallReadsReplyAndAPiecesRequestUnrendered() throws Exception {
    ChunkServerService.Client client = start(DiagnosticLog.Settings.memoryOnly(10));
    long rendersBefore = ThriftText.renders(); // nothing else renders in this JVM meanwhile: no file, no reader
    assertEquals(4096, client.read(5, 1, 0, 4096, null).getData().length);
    client.pushData(79, 0, ByteBuffer.wrap(FILE_DATA, 0, 5000), true, 5000, 123, List.of(), null);
    List<RpcEvent> events = server.diagnostics().recentEvents();
    assertEquals(2, events.size());
    assertEquals(List.of("OK", "OK"), events.stream().map(RpcEvent::outcome).toList(), "outcomes known at once");
    assertEquals(rendersBefore, ThriftText.renders(), "a 4 KiB read's reply or a piece's request rendered on the "
        + "worker");
    assertEquals("{success={data=<4096 bytes>, chunkLengthBytes=" + FILE_DATA.length + "}}", events.get(0).reply());
    assertTrue(events.get(1).request().contains("piece=<5000 bytes>"), events.get(1).request());
    assertTrue(ThriftText.renders() > rendersBefore, "rendered when read");
  }

  @Test
  void theKeysConfigureTheLogAndAnEmptyDirectoryKeepsNoFile() throws Exception {
    DiagnosticLog.Settings none = DiagnosticLog.Settings.from(GfsConfig.of(Map.of()));
    assertNull(none.dir());
    assertEquals(1000, none.recentEventsMax());
    DiagnosticLog.Settings some = DiagnosticLog.Settings.from(GfsConfig.of(Map.of(
        GfsConfigKeys.Diagnostic.LOG_DIR.name(), dir.toString(),
        GfsConfigKeys.Diagnostic.LOG_BYTES_MAX.name(), "1m",
        GfsConfigKeys.Diagnostic.LOG_FILES_MAX.name(), "4")));
    assertEquals(new DiagnosticLog.Settings(dir, 1L << 20, 4, 1000), some);
    ChunkServerService.Client client = start(none);
    client.getChunkChecksum(1, 1, null);
    assertNull(server.diagnostics().currentFile());
    assertEquals(1, server.diagnostics().recentEvents().size());
  }
}
