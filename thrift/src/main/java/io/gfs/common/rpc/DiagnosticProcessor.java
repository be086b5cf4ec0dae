package io.gfs.common.rpc;

import io.gfs.thrift.gen.GfsException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.thrift.ProcessFunction;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.TBase;
import org.apache.thrift.TBaseProcessor;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.TException;
import org.apache.thrift.TFieldIdEnum;
import org.apache.thrift.TProcessor;
import org.apache.thrift.meta_data.FieldMetaData;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TField;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TProtocolDecorator;
import org.apache.thrift.protocol.TType;
import org.apache.thrift.server.ServerContext;
import org.apache.thrift.server.TServerEventHandler;
import org.apache.thrift.transport.TMemoryInputTransport;
import org.apache.thrift.transport.TTransport;

/**
 * Wraps a service's processor so every call becomes an {@link RpcEvent} in the server's {@link DiagnosticLog}. The
 * handler runs exactly as without the log; its reply is written to memory first and then sent on unchanged. The
 * caller's address comes from the server's per-connection context.
 *
 * <p>The worker does only what the event needs at once: the outcome (the reply's first field, or the whole reply when
 * it is an error) for the metrics. A small request or reply (at most {@link #LAZY_BYTES_MAX}, every metadata call) is
 * kept as bytes and turned into text only when the event is read or written to the file ({@link RpcEvent}). A larger
 * one is decoded at once with its binaries read as lengths only ({@link BinaryLengthProtocol}: no file data is copied
 * or kept, the text shows a binary as its length anyway); when what is left is small (a 4 KiB positioned read's reply,
 * a pushed piece's request) the decoded struct is kept and rendered on first read too, else (long listings) the text
 * is made at once, so the memory's recent events never keep big structs.
 */
final class DiagnosticProcessor implements TProcessor {
  /** Requests and replies up to this size are kept as bytes and rendered on first read; larger ones at once. */
  static final int LAZY_BYTES_MAX = 4 << 10;
  private final TProcessor inner;
  private final Map<String, ? extends ProcessFunction<?, ?, ?>> functions;
  private final DiagnosticLog log;
  private final RpcLimits limits;
  /** Only read by the memory transports built on it (their byte counts are their own). */
  private final TConfiguration configuration;
  private final Peers peers = new Peers();
  /** Reply size of each known method's last call (only the service's own names: callers cannot grow the map). */
  private final Map<String, Integer> replyBytesHint = new java.util.concurrent.ConcurrentHashMap<>();
  /** Replies (not spliced ones) the worker set out to write to the socket itself; for tests. */
  private final java.util.concurrent.atomic.LongAdder repliesWrittenByWorkers =
      new java.util.concurrent.atomic.LongAdder();

  DiagnosticProcessor(TProcessor inner, DiagnosticLog log, RpcLimits limits) {
    this.inner = inner;
    TProcessor service = inner;
    for (int depth = 0; service instanceof ProcessorChain chain && depth < 8; depth++) {
      service = chain.next(); // through request-id strippers and filters to the service's own method table
    }
    this.functions = service instanceof TBaseProcessor<?> base ? base.getProcessMapView() : Map.of();
    this.log = log;
    this.limits = limits;
    this.configuration = new TConfiguration(limits.frameBytesMax(), limits.frameBytesMax(),
        TConfiguration.DEFAULT_RECURSION_DEPTH);
  }

  /** Replies (not spliced ones) the worker set out to write to the socket itself, since the server started. */
  long repliesWrittenByWorkers() {
    return repliesWrittenByWorkers.sum();
  }

  /** The server's event handler that tells this processor who is calling. */
  TServerEventHandler peers() {
    return peers;
  }

  @Override
  public void process(TProtocol in, TProtocol out) throws TException {
    try {
      processAndSend(in, out);
    } finally {
      DirectBinaries.takeBackLent(); // the reply is written or given up: nothing reads a lent buffer any more
    }
  }

  private void processAndSend(TProtocol in, TProtocol out) throws TException {
    long sequence = log.nextSequence();
    long startMillis = System.currentTimeMillis();
    long startNanos = System.nanoTime();
    String peer = peers.current();
    int requestBytes = Math.max(0, in.getTransport().getBytesRemainingInBuffer());
    TMessage message;
    try {
      message = in.readMessageBegin();
    } catch (TException | RuntimeException e) {
      log.record(new RpcEvent(sequence, startMillis, peer, "?", micros(startNanos), "FAILED " + e, requestBytes, 0,
          "", ""));
      throw e;
    }
    requestBytes = Math.max(requestBytes, in.getTransport().getBytesRemainingInBuffer());
    String method = methodName(message.name);
    ProcessFunction<?, ?, ?> function = functions.get(method);
    Supplier<String> request = request(function, in.getTransport());
    // Sized like this method's last reply: a 1 MiB read reply no longer grows a 256-byte buffer by doubling.
    Integer hint = replyBytesHint.get(method);
    ReplyBuffer reply = ReplyBuffer.forReply(configuration, hint == null ? 256 : hint);
    try {
      DirectBinaries.acceptOnThisThread(true);
      inner.process(new StoredMessage(in, message), new ReplyProtocol(reply, limits));
    } catch (TException | RuntimeException e) {
      log.record(RpcEvent.rendered(sequence, startMillis, peer, message.name, micros(startNanos), "FAILED " + e,
          requestBytes, 0, request, () -> ""));
      throw e;
    } finally {
      DirectBinaries.acceptOnThisThread(false);
    }
    // A spliced reply's array holds only its few bytes around the segment: later calls need no 1 MiB array either.
    int nextHint = Math.min(reply.arrayLength() + 64, KeptBufferFramedTransport.KEPT_BYTES_MAX);
    if (function != null && (hint == null || hint != nextHint)) {
      replyBytesHint.put(method, nextHint); // written only when it changes: 32 workers calling one method share a key
    }
    Reply decoded = decode(function, reply);
    // Recorded before the reply goes out: a client that has its answer finds the call in the log (a big reply is
    // written by this thread, so the client could otherwise read the log before the event is in it).
    log.record(RpcEvent.rendered(sequence, startMillis, peer, message.name, micros(startNanos), decoded.outcome(),
        requestBytes, reply.length(), request, decoded.text()));
    if (reply.length() > 0) {
      send(reply, out.getTransport());
    }
  }

  /**
   * Sends the reply as far as the socket takes it straight from the worker ({@link DirectReply}), whatever its size;
   * only the rest (or, over TLS, all of it) goes through the connection's framed transport for the selector to write.
   * A small reply went through the selector until issue 6's metadata work: the client then waited for the selector
   * thread to be woken, to register for writing and to be woken again before its answer left, and at 32 callers on two
   * cores a getFileStatus cost 1.75 voluntary context switches against 1.25 now (HDFS's handlers write their replies
   * themselves too). The worker still wakes the selector afterwards, to read the connection's next request.
   */
  private void send(ReplyBuffer reply, TTransport out) throws TException {
    java.nio.channels.SocketChannel channel = peers.channel();
    long sent = 0;
    if (reply.segment() != null) {
      if (channel != null && out instanceof KeptBufferFramedTransport framed && DirectReply.stageable(reply)) {
        sendSpliced(reply, channel, framed);
        return;
      }
      reply.materialize(); // TLS, or a transport the worker cannot write itself: the reply goes whole, as before
    }
    if (channel != null && out instanceof KeptBufferFramedTransport framed) {
      repliesWrittenByWorkers.increment(); // before the write: a client that has its answer sees it counted
      try {
        sent = DirectReply.writeAtOnce(channel, reply.getArray(), reply.length());
      } catch (java.io.IOException e) {
        throw new org.apache.thrift.transport.TTransportException(org.apache.thrift.transport.TTransportException.UNKNOWN,
            "reply write failed: " + e.getMessage(), e);
      }
      if (sent > 0) {
        if (sent < reply.length() + 4L) {
          byte[] header = DirectReply.header(reply.length());
          framed.writeRest(header, (int) Math.min(sent, header.length), reply.getArray(),
              (int) Math.max(0, sent - header.length), reply.length());
        }
        return;
      }
    }
    out.write(reply.getArray(), 0, reply.length());
    out.flush();
  }

  /** A reply with a spliced segment, written by this worker as far as the socket takes it; the rest queued. */
  private static void sendSpliced(ReplyBuffer reply, java.nio.channels.SocketChannel channel,
      KeptBufferFramedTransport framed) throws TException {
    long frameBytes = reply.length() + 4L;
    long sent;
    try {
      sent = DirectReply.writeAtOnce(channel, reply);
    } catch (java.io.IOException e) {
      throw new org.apache.thrift.transport.TTransportException(
          org.apache.thrift.transport.TTransportException.UNKNOWN, "reply write failed: " + e.getMessage(), e);
    }
    if (sent < frameBytes) {
      // The parts staged again and skipped past what went: the socket took the first `sent` bytes of the frame.
      ByteBuffer[] parts = DirectReply.frameParts(reply, ByteBuffer.allocate(reply.arrayLength() + 4));
      long skip = sent;
      for (ByteBuffer part : parts) {
        int n = (int) Math.min(skip, part.remaining());
        part.position(part.position() + n);
        skip -= n;
      }
      framed.writeRest(parts);
    }
  }

  /** The method a message name calls: names may carry a per-call tag after '#' (issue 4's request ids). */
  static String methodName(String messageName) {
    int tag = messageName.indexOf('#');
    return tag < 0 ? messageName : messageName.substring(0, tag);
  }

  private static long micros(long startNanos) {
    return TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - startNanos);
  }

  /**
   * The arguments as text, made later from a copy of a small frame, or decoded now from a view of a large one with
   * its binaries as lengths (file data is never copied) and rendered later if little else is left; never fails.
   */
  private Supplier<String> request(ProcessFunction<?, ?, ?> function, TTransport transport) {
    if (function == null) {
      return () -> "(unknown method)";
    }
    byte[] frame = transport.getBuffer();
    int remaining = transport.getBytesRemainingInBuffer();
    if (frame == null || remaining < 0) {
      return () -> "(arguments not in memory)";
    }
    int position = transport.getBufferPosition();
    if (remaining <= LAZY_BYTES_MAX) {
      byte[] copy = Arrays.copyOfRange(frame, position, position + remaining);
      return () -> arguments(function, copy, 0, copy.length);
    }
    try {
      BinaryLengthProtocol protocol = lengthsOnly(new TMemoryInputTransport(configuration, frame, position,
          remaining));
      TBase<?, ?> args = function.getEmptyArgsInstance();
      args.read(protocol);
      if (remaining - protocol.binaryBytes() <= LAZY_BYTES_MAX) {
        return () -> ThriftText.of(args); // a pushed piece's arguments: a few numbers and the piece's length
      }
      String text = ThriftText.of(args);
      return () -> text;
    } catch (TException | RuntimeException e) {
      String text = "(undecodable arguments: " + e.getMessage() + ")";
      return () -> text;
    }
  }

  private String arguments(ProcessFunction<?, ?, ?> function, byte[] bytes, int offset, int length) {
    try {
      TBase<?, ?> args = function.getEmptyArgsInstance();
      args.read(lengthsOnly(new TMemoryInputTransport(configuration, bytes, offset, length)));
      return ThriftText.of(args);
    } catch (TException | RuntimeException e) {
      return "(undecodable arguments: " + e.getMessage() + ")";
    }
  }

  /** The outcome of a reply the handler wrote, and its text (made now or on first read). */
  private record Reply(String outcome, Supplier<String> text) {
    static Reply now(String outcome, String text) {
      return new Reply(outcome, () -> text);
    }
  }

  private Reply decode(ProcessFunction<?, ?, ?> function, ReplyBuffer reply) {
    if (reply.length() == 0) {
      return Reply.now("OK", "(no reply)");
    }
    int length = reply.length();
    try {
      TProtocol protocol = protocol(new TMemoryInputTransport(configuration, reply.getArray(), 0, reply.arrayLength()));
      TMessage message = protocol.readMessageBegin();
      if (message.type == TMessageType.EXCEPTION || function == null) {
        TApplicationException e = TApplicationException.readFrom(protocol);
        return Reply.now("APPLICATION_ERROR", "{type=" + e.getType() + ", message=\"" + e.getMessage() + "\"}");
      }
      if (reply.segment() != null) {
        return described(splicedResult(function, reply));
      }
      if (length <= LAZY_BYTES_MAX && successOrEmpty(protocol)) {
        // This call's own buffer, which nothing writes to once the reply is sent; copied only when it is much larger
        // than the reply (sized after a big earlier reply), so the memory's recent events never pin big buffers.
        byte[] bytes = !reply.kept() && reply.getArray().length <= 2 * LAZY_BYTES_MAX ? reply.getArray()
            : Arrays.copyOf(reply.getArray(), length);
        return new Reply("OK", () -> replyText(function, bytes, length));
      }
      return described(result(function, reply.getArray(), length));
    } catch (TException | RuntimeException e) {
      return Reply.now("OK", "(undecodable reply: " + e.getMessage() + ")");
    }
  }

  /** A result decoded with its binaries as lengths, and how many of its wire bytes its struct still holds. */
  private record Decoded(TBase<?, ?> result, long heldBytes) {}

  /**
   * The outcome now; the text on first read when the struct holds little (a 4 KiB read's reply: its numbers and the
   * data's length, the data itself never decoded), else now, so the recent events never keep a long listing's struct.
   */
  private static Reply described(Decoded decoded) {
    String outcome = outcome(decoded.result());
    if (decoded.heldBytes() <= LAZY_BYTES_MAX) {
      TBase<?, ?> result = decoded.result();
      return new Reply(outcome, () -> ThriftText.of(result));
    }
    String text = ThriftText.of(decoded.result());
    return new Reply(outcome, () -> text);
  }

  /** Whether the result struct's first field is the success value (id 0) or absent: the outcome is OK. */
  private static boolean successOrEmpty(TProtocol protocol) throws TException {
    protocol.readStructBegin();
    TField first = protocol.readFieldBegin();
    return first.type == TType.STOP || first.id == 0;
  }

  private String replyText(ProcessFunction<?, ?, ?> function, byte[] bytes, int length) {
    try {
      return ThriftText.of(result(function, bytes, length).result());
    } catch (TException | RuntimeException e) {
      return "(undecodable reply: " + e.getMessage() + ")";
    }
  }

  /** The result struct of a whole reply message (header, then the struct), its binaries as lengths only. */
  private Decoded result(ProcessFunction<?, ?, ?> function, byte[] bytes, int length) throws TException {
    BinaryLengthProtocol protocol = lengthsOnly(new TMemoryInputTransport(configuration, bytes, 0, length));
    protocol.readMessageBegin();
    TBase<?, ?> result = function.getEmptyResultInstance();
    result.read(protocol);
    return new Decoded(result, length - protocol.binaryBytes());
  }

  /**
   * The result struct of a reply with a spliced segment: the binary there is the segment's length only (the segment
   * is a worker's reused read buffer, never kept).
   */
  private Decoded splicedResult(ProcessFunction<?, ?, ?> function, ReplyBuffer reply) throws TException {
    ByteBuffer segment = reply.segment();
    int segmentAt = reply.segmentAt();
    TMemoryInputTransport transport = new TMemoryInputTransport(configuration, reply.getArray(), 0,
        reply.arrayLength());
    BinaryLengthProtocol protocol = new BinaryLengthProtocol(transport, limits) {
      @Override
      public ByteBuffer readBinary() throws TException {
        if (transport.getBufferPosition() + 4 != segmentAt) {
          return super.readBinary();
        }
        int size = readI32();
        if (size != segment.remaining()) {
          throw new org.apache.thrift.protocol.TProtocolException("a binary of " + size + " bytes where "
              + segment.remaining() + " were spliced");
        }
        return binaryElsewhere(size);
      }
    };
    protocol.readMessageBegin();
    TBase<?, ?> result = function.getEmptyResultInstance();
    result.read(protocol);
    return new Decoded(result, reply.arrayLength() - (protocol.binaryBytes() - segment.remaining()));
  }

  /**
   * The protocol a handler's reply is written with: a big binary in a direct buffer is spliced into the reply instead
   * of copied ({@link ReplyBuffer#splice}); any other binary without an accessible array (direct, read-only) is copied
   * in, which libthrift's own writeBinary cannot do (it asks for the array).
   */
  static final class ReplyProtocol extends TBinaryProtocol {
    private final ReplyBuffer reply;

    ReplyProtocol(ReplyBuffer reply, RpcLimits limits) {
      super(reply, limits.stringBytesMax(), limits.containerLengthMax(), true, true);
      this.reply = reply;
    }

    @Override
    public void writeBinary(ByteBuffer binary) throws TException {
      if (binary.hasArray()) {
        super.writeBinary(binary);
        return;
      }
      int size = binary.remaining();
      writeI32(size);
      if (binary.isDirect() && reply.splice(binary)) {
        return;
      }
      reply.writeFrom(binary); // a small piece (a positioned read's 4 KiB): one copy, no temporary array
    }
  }

  /**
   * OK, or the error code of the declared exception set: a result struct holds at most one set field, "success" (id
   * 0) or one of the declared exceptions.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static String outcome(TBase<?, ?> result) {
    Map<? extends TFieldIdEnum, FieldMetaData> fields = FieldMetaData.getStructMetaDataMap((Class) result.getClass());
    for (TFieldIdEnum field : fields.keySet()) {
      TBase raw = result;
      if (!raw.isSet(field) || field.getThriftFieldId() == 0) {
        continue;
      }
      Object value = raw.getFieldValue(field);
      return value instanceof GfsException e && e.getCode() != null ? e.getCode().name()
          : value.getClass().getSimpleName();
    }
    return "OK";
  }


  private TProtocol protocol(TTransport transport) {
    return new TBinaryProtocol(transport, limits.stringBytesMax(), limits.containerLengthMax(), true, true);
  }

  private BinaryLengthProtocol lengthsOnly(TTransport transport) {
    return new BinaryLengthProtocol(transport, limits);
  }

  /** The request's protocol with its message header already read, as the service processor expects to read it. */
  private static final class StoredMessage extends TProtocolDecorator {
    private final TMessage message;

    StoredMessage(TProtocol protocol, TMessage message) {
      super(protocol);
      this.message = message;
    }

    @Override
    public TMessage readMessageBegin() {
      return message;
    }
  }

  /** Remembers each connection's remote address, and hands it to the worker thread about to process its request. */
  private static final class Peers implements TServerEventHandler {
    private final ThreadLocal<Peer> current = new ThreadLocal<>();

    String current() {
      Peer peer = current.get();
      return peer == null || peer.address == null ? "?" : peer.address;
    }

    /** The calling connection's channel when the worker may write to it itself (plain TCP), else null. */
    java.nio.channels.SocketChannel channel() {
      Peer peer = current.get();
      return peer == null ? null : peer.channel;
    }

    @Override
    public void preServe() {}

    @Override
    public ServerContext createContext(TProtocol input, TProtocol output) {
      return new Peer();
    }

    @Override
    public void deleteContext(ServerContext context, TProtocol input, TProtocol output) {}

    @Override
    public void processContext(ServerContext context, TTransport input, TTransport output) {
      current.set(context instanceof Peer peer ? peer : null);
    }
  }

  private static final class Peer implements ServerContext {
    volatile String address;
    volatile java.nio.channels.SocketChannel channel;

    @Override
    public void setRemoteAddress(SocketAddress remote) {
      channel = remote instanceof DirectReply.Address direct ? direct.channel : null;
      address = remote instanceof InetSocketAddress inet ? inet.getHostString() + ":" + inet.getPort()
          : String.valueOf(remote);
    }

    @Override
    public <T> T unwrap(Class<T> type) {
      return type.isInstance(this) ? type.cast(this) : null;
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
      return type.isInstance(this);
    }
  }
}
