package io.gfs.common.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.HostPort;
import io.gfs.thrift.gen.ChunkServerService;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.ReadResult;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.transport.TMemoryBuffer;
import org.apache.thrift.transport.TMemoryInputTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Big replies written by the worker straight to the socket ({@link DirectReply}): exact bytes whether the socket takes
 * the whole reply at once or only part (the rest goes through the selector), for requests sent one after another on
 * one connection, and small replies and errors on the same connection in between; each for a handler that answers
 * with heap bytes and one that answers with a direct buffer (handle {@link #DIRECT}, as a chunkserver does: a big one
 * is spliced into the reply, {@link ReplyBuffer#splice}). A real RpcServer on loopback.
 */
class DirectReplyIT {
  private static final int PIECE = 1 << 20;
  /** Reads of this handle are answered with a direct buffer, as a chunkserver's are. */
  private static final long DIRECT = 2;
  /** Reads of this handle are answered from a buffer lent to the call ({@link DirectBinaries#lend}). */
  private static final long LENT = 3;
  /** A read of handle LENT at this offset borrows its buffer and then fails. */
  private static final long FAIL_AFTER_LENDING = 999_999;
  private static final long[] HANDLES = {1, DIRECT, LENT};
  /** Every lent buffer a call got, by identity. */
  private final java.util.Set<ByteBuffer> lentSeen =
      java.util.Collections.synchronizedSet(java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
  private RpcServer server;
  private RpcClients clients;
  private HostPort address;

  /** The bytes a read of length at offset returns: a function of the position, so any shift or gap shows. */
  private static byte[] bytesAt(long offset, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      long at = offset + i;
      bytes[i] = (byte) (at * 31 + (at >>> 11));
    }
    return bytes;
  }

  @BeforeEach
  void start() throws Exception {
    ChunkServerService.Iface handler = (ChunkServerService.Iface) Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {ChunkServerService.Iface.class}, (proxy, method, args) -> {
          if (method.getName().equals("read")) {
            long offset = (Long) args[2];
            int length = (Integer) args[3];
            if (length < 0) {
              throw new GfsException(ErrorCode.INVALID_ARGUMENT, "negative length");
            }
            if ((Long) args[0] == 1) {
              return new ReadResult(ByteBuffer.wrap(bytesAt(offset, length)), offset + length);
            }
            if (!DirectBinaries.acceptedOnThisThread()) {
              throw new GfsException(ErrorCode.INTERNAL, "the server's reply protocol does not take direct buffers");
            }
            ByteBuffer direct;
            if ((Long) args[0] == LENT) {
              direct = DirectBinaries.lend();
              lentSeen.add(direct);
              if (offset == FAIL_AFTER_LENDING) {
                throw new GfsException(ErrorCode.INVALID_ARGUMENT, "failed after borrowing");
              }
            } else {
              direct = ByteBuffer.allocateDirect(length);
            }
            ReadResult result = new ReadResult().setChunkLengthBytes(offset + length);
            assertTrue(ThriftBinary.set(result, "data", direct.put(bytesAt(offset, length)).flip()));
            return result;
          }
          throw new GfsException(ErrorCode.INVALID_ARGUMENT, "not in this test: " + method.getName());
        });
    RpcLimits limits = RpcLimits.defaults();
    server = RpcServer.start("direct", new HostPort("127.0.0.1", 0), new ChunkServerService.Processor<>(handler),
        limits);
    address = new HostPort("127.0.0.1", server.port());
    clients = new RpcClients(limits);
  }

  @AfterEach
  void stop() {
    if (clients != null) {
      clients.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static byte[] data(ReadResult result) {
    return result.getData();
  }

  @Test
  void bigAndSmallRepliesAndErrorsInterleavedOnOneConnectionAreExact() throws Exception {
    for (int round = 0; round < 10; round++) {
      long offset = round * 7_777L;
      long handle = HANDLES[round % HANDLES.length];
      assertArrayEquals(bytesAt(offset, PIECE), data(clients.chunkServer(address, c -> c.read(handle, 1, offset, PIECE,
          null))), "big reply " + round);
      assertArrayEquals(bytesAt(offset, 100), data(clients.chunkServer(address, c -> c.read(handle, 1, offset, 100,
          null))), "small reply " + round);
      int justSpliced = ReplyBuffer.SPLICE_BYTES_MIN;
      assertArrayEquals(bytesAt(offset, justSpliced), data(clients.chunkServer(address, c -> c.read(handle, 1, offset,
          justSpliced, null))), "smallest spliced reply " + round);
      assertArrayEquals(bytesAt(offset, justSpliced - 1), data(clients.chunkServer(address, c -> c.read(handle, 1,
          offset, justSpliced - 1, null))), "biggest copied reply " + round);
      GfsException e = org.junit.jupiter.api.Assertions.assertThrows(GfsException.class,
          () -> clients.chunkServer(address, c -> c.read(1, 1, offset, -1, null)));
      assertEquals(ErrorCode.INVALID_ARGUMENT, e.getCode());
    }
  }

  @Test
  void requestsSentBackToBackOnOneConnectionGetTheirRepliesInOrder() throws Exception {
    try (Socket socket = new Socket(address.host(), address.port())) {
      socket.setSoTimeout(60_000);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      DataInputStream in = new DataInputStream(socket.getInputStream());
      for (int i = 0; i < 6; i++) {
        out.write(readFrame(HANDLES[i % HANDLES.length], i, (long) i * PIECE, PIECE - i));
      }
      out.flush();
      for (int i = 0; i < 6; i++) {
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        assertArrayEquals(bytesAt((long) i * PIECE, PIECE - i), data(decodeReply(frame, i)), "reply " + i);
      }
    }
  }

  /**
   * A client with a tiny receive buffer that reads nothing until the server has logged the call: the worker wrote
   * what the socket took and moved on (it never waits for a reader), and the whole frame still arrives exactly.
   */
  @Test
  void aReaderSlowerThanTheSocketGetsTheWholeReplyAndTheWorkerDoesNotWait() throws Exception {
    slowReader(call -> HANDLES[call % HANDLES.length], 123L, 4, call -> { });
  }

  /** What a slow reader's test does after the server finished a call and before the reader takes that call's reply. */
  private interface BeforeReading {
    void run(int call) throws Exception;
  }

  /**
   * Sends calls one at a time over a socket with a tiny receive buffer, and reads each reply only once the server has
   * logged the call (the worker wrote what the socket took and moved on, with the reply still mostly unread) and
   * {@code beforeReading} has run; every reply must still arrive exactly.
   */
  private void slowReader(java.util.function.IntToLongFunction handleOfCall, long firstOffset, int calls,
      BeforeReading beforeReading) throws Exception {
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(new InetSocketAddress(address.host(), address.port()), 10_000);
      socket.setSoTimeout(60_000);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      DataInputStream in = new DataInputStream(socket.getInputStream());
      for (int call = 0; call < calls; call++) {
        long offset = firstOffset + call;
        int before = readEvents();
        out.write(readFrame(handleOfCall.applyAsLong(call), call, offset, PIECE));
        out.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (readEvents() == before) {
          assertTrue(System.nanoTime() < deadline, "the server never finished the call");
          Thread.sleep(5);
        }
        beforeReading.run(call);
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        assertArrayEquals(bytesAt(offset, PIECE), data(decodeReply(frame, call)), "slow reader's call " + call);
      }
    }
  }

  /**
   * Calls one after another borrow one and the same buffer, whichever worker runs them (the pool hands calls to its 32
   * workers in turn: a buffer per worker made up to 32), also after a call that failed while holding it; and each reply
   * is exact although the next call refills that buffer, also when the socket took only part of the reply (a small
   * receive buffer and a reader that waits until the server finished the call).
   */
  @Test
  void callsOneAfterAnotherBorrowOneBufferAndEachReplyIsExact() throws Exception {
    long createdBefore = DirectBinaries.lentBuffersCreated();
    for (int call = 0; call < 40; call++) {
      awaitEveryLentBufferBack(); // a client may have its reply before the worker has given the buffer back
      long offset = call * 4_099L;
      int length = call % 4 == 3 ? 100 : PIECE - call;
      assertArrayEquals(bytesAt(offset, length), data(clients.chunkServer(address, c -> c.read(LENT, 1, offset, length,
          null))), "call " + call);
      if (call % 10 == 5) {
        awaitEveryLentBufferBack();
        GfsException e = org.junit.jupiter.api.Assertions.assertThrows(GfsException.class,
            () -> clients.chunkServer(address, c -> c.read(LENT, 1, FAIL_AFTER_LENDING, PIECE, null)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.getCode());
      }
    }
    slowReader(call -> LENT, 77L, 3, call -> {
      awaitEveryLentBufferBack(); // the call is over: its buffer is back, the rest of its reply copied out
      // Another call fills the buffer just returned before the slow reader takes the rest of its reply.
      long other = 5_000_000L + call;
      assertArrayEquals(bytesAt(other, PIECE), data(clients.chunkServer(address, c -> c.read(LENT, 1, other, PIECE,
          null))), "call in between " + call);
    });
    assertEquals(1, lentSeen.size(), "distinct buffers lent to calls one after another");
    assertTrue(DirectBinaries.lentBuffersCreated() - createdBefore <= 1, "buffers made: "
        + (DirectBinaries.lentBuffersCreated() - createdBefore));
  }

  private static void awaitEveryLentBufferBack() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (DirectBinaries.buffersLentNow() != 0) {
      assertTrue(System.nanoTime() < deadline, "a lent buffer never came back");
      Thread.sleep(1);
    }
  }

  private int readEvents() {
    return (int) server.diagnostics().recentEvents().stream().filter(e -> e.method().startsWith("read")).count();
  }

  /** The diagnostic log renders a spliced piece like a copied one: its length, never its bytes. */
  @Test
  void aSplicedReplyIsLoggedWithItsLength() throws Exception {
    assertArrayEquals(bytesAt(5, PIECE), data(clients.chunkServer(address, c -> c.read(DIRECT, 1, 5, PIECE, null))));
    RpcEvent event = server.diagnostics().recentEvents().stream().filter(e -> e.method().startsWith("read"))
        .reduce((a, b) -> b).orElseThrow();
    assertEquals("OK", event.outcome());
    assertTrue(event.reply().contains("data=<" + PIECE + " bytes>"), event.reply());
    assertTrue(event.replyBytes() > PIECE && event.replyBytes() < PIECE + 64, "reply bytes " + event.replyBytes());
  }

  private static byte[] readFrame(long handle, int sequence, long offset, int length) throws Exception {
    TMemoryBuffer body = new TMemoryBuffer(256);
    TBinaryProtocol protocol = new TBinaryProtocol(body);
    protocol.writeMessageBegin(new TMessage("read", TMessageType.CALL, sequence));
    new ChunkServerService.read_args(handle, 1, offset, length, null).write(protocol);
    protocol.writeMessageEnd();
    ByteBuffer frame = ByteBuffer.allocate(4 + body.length()).putInt(body.length());
    frame.put(body.getArray(), 0, body.length());
    return frame.array();
  }

  private static ReadResult decodeReply(byte[] frame, int sequence) throws Exception {
    TBinaryProtocol protocol = new TBinaryProtocol(new TMemoryInputTransport(frame));
    TMessage message = protocol.readMessageBegin();
    assertEquals(TMessageType.REPLY, message.type);
    assertEquals(sequence, message.seqid, "the reply to another call");
    ChunkServerService.read_result result = new ChunkServerService.read_result();
    result.read(protocol);
    assertTrue(result.isSetSuccess(), "not a success: " + result);
    return result.getSuccess();
  }
}
