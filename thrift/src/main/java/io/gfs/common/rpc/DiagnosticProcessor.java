package io.gfs.common.rpc;

import io.gfs.thrift.gen.GfsException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TProtocolDecorator;
import org.apache.thrift.server.ServerContext;
import org.apache.thrift.server.TServerEventHandler;
import org.apache.thrift.transport.TMemoryBuffer;
import org.apache.thrift.transport.TMemoryInputTransport;
import org.apache.thrift.transport.TTransport;

/**
 * Wraps a service's processor so every call becomes an {@link RpcEvent} in the server's {@link DiagnosticLog}. The
 * request is decoded a second time, for the log, from the frame already in memory (binary fields are views, so file
 * data is never copied); the handler then runs exactly as without the log. Its reply is written to memory first,
 * decoded for the log, and then sent on unchanged. The caller's address comes from the server's per-connection
 * context.
 */
final class DiagnosticProcessor implements TProcessor {
  private final TProcessor inner;
  private final Map<String, ? extends ProcessFunction<?, ?, ?>> functions;
  private final DiagnosticLog log;
  private final RpcLimits limits;
  private final Peers peers = new Peers();
  /** Reply size of each known method's last call (only the service's own names: callers cannot grow the map). */
  private final Map<String, Integer> replyBytesHint = new java.util.concurrent.ConcurrentHashMap<>();

  DiagnosticProcessor(TProcessor inner, DiagnosticLog log, RpcLimits limits) {
    this.inner = inner;
    TProcessor service = inner;
    for (int depth = 0; service instanceof ProcessorChain chain && depth < 8; depth++) {
      service = chain.next(); // through request-id strippers and filters to the service's own method table
    }
    this.functions = service instanceof TBaseProcessor<?> base ? base.getProcessMapView() : Map.of();
    this.log = log;
    this.limits = limits;
  }

  /** The server's event handler that tells this processor who is calling. */
  TServerEventHandler peers() {
    return peers;
  }

  @Override
  public void process(TProtocol in, TProtocol out) throws TException {
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
    ProcessFunction<?, ?, ?> function = functions.get(methodName(message.name));
    String request = request(function, in.getTransport());
    // Sized like this method's last reply: a 1 MiB read reply no longer grows a 256-byte buffer by doubling.
    TMemoryBuffer reply = new TMemoryBuffer(configuration(), replyBytesHint.getOrDefault(methodName(message.name),
        256));
    try {
      inner.process(new StoredMessage(in, message), protocol(reply));
    } catch (TException | RuntimeException e) {
      log.record(new RpcEvent(sequence, startMillis, peer, message.name, micros(startNanos), "FAILED " + e,
          requestBytes, 0, request, ""));
      throw e;
    }
    if (function != null) {
      replyBytesHint.put(methodName(message.name), Math.min(reply.length() + 64, KeptBufferFramedTransport.KEPT_BYTES_MAX));
    }
    Reply decoded = decode(function, reply);
    if (reply.length() > 0) {
      out.getTransport().write(reply.getArray(), 0, reply.length());
      out.getTransport().flush();
    }
    log.record(new RpcEvent(sequence, startMillis, peer, message.name, micros(startNanos), decoded.outcome(),
        requestBytes, reply.length(), request, decoded.text()));
  }

  /** The method a message name calls: names may carry a per-call tag after '#' (issue 4's request ids). */
  static String methodName(String messageName) {
    int tag = messageName.indexOf('#');
    return tag < 0 ? messageName : messageName.substring(0, tag);
  }

  private static long micros(long startNanos) {
    return TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - startNanos);
  }

  /** The arguments as text, decoded from a view of the frame the handler reads next; never fails the call. */
  private String request(ProcessFunction<?, ?, ?> function, TTransport transport) {
    if (function == null) {
      return "(unknown method)";
    }
    byte[] frame = transport.getBuffer();
    int remaining = transport.getBytesRemainingInBuffer();
    if (frame == null || remaining < 0) {
      return "(arguments not in memory)";
    }
    try {
      TBase<?, ?> args = function.getEmptyArgsInstance();
      args.read(protocol(new TMemoryInputTransport(configuration(), frame, transport.getBufferPosition(),
          remaining)));
      return ThriftText.of(args);
    } catch (TException | RuntimeException e) {
      return "(undecodable arguments: " + e.getMessage() + ")";
    }
  }

  /** The outcome and text of a reply the handler wrote. */
  private record Reply(String outcome, String text) {}

  private Reply decode(ProcessFunction<?, ?, ?> function, TMemoryBuffer reply) {
    if (reply.length() == 0) {
      return new Reply("OK", "(no reply)");
    }
    try {
      TProtocol protocol = protocol(new TMemoryInputTransport(configuration(), reply.getArray(), 0, reply.length()));
      TMessage message = protocol.readMessageBegin();
      if (message.type == TMessageType.EXCEPTION || function == null) {
        TApplicationException e = TApplicationException.readFrom(protocol);
        return new Reply("APPLICATION_ERROR", "{type=" + e.getType() + ", message=\"" + e.getMessage() + "\"}");
      }
      TBase<?, ?> result = function.getEmptyResultInstance();
      result.read(protocol);
      return describe(result);
    } catch (TException | RuntimeException e) {
      return new Reply("OK", "(undecodable reply: " + e.getMessage() + ")");
    }
  }

  /** A result struct holds at most one set field: "success" (id 0) or one of the declared exceptions. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Reply describe(TBase<?, ?> result) {
    Map<? extends TFieldIdEnum, FieldMetaData> fields = FieldMetaData.getStructMetaDataMap((Class) result.getClass());
    for (TFieldIdEnum field : fields.keySet()) {
      TBase raw = result;
      if (!raw.isSet(field)) {
        continue;
      }
      Object value = raw.getFieldValue(field);
      if (field.getThriftFieldId() == 0) {
        return new Reply("OK", ThriftText.of(result));
      }
      String outcome = value instanceof GfsException e && e.getCode() != null ? e.getCode().name()
          : value.getClass().getSimpleName();
      return new Reply(outcome, ThriftText.of(result));
    }
    return new Reply("OK", "{}");
  }

  private TConfiguration configuration() {
    return new TConfiguration(limits.frameBytesMax(), limits.frameBytesMax(), TConfiguration.DEFAULT_RECURSION_DEPTH);
  }

  private TProtocol protocol(TTransport transport) {
    return new TBinaryProtocol(transport, limits.stringBytesMax(), limits.containerLengthMax(), true, true);
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
    private final ThreadLocal<String> current = new ThreadLocal<>();

    String current() {
      String peer = current.get();
      return peer == null ? "?" : peer;
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
      current.set(context instanceof Peer peer ? peer.address : null);
    }
  }

  private static final class Peer implements ServerContext {
    volatile String address;

    @Override
    public void setRemoteAddress(SocketAddress remote) {
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
