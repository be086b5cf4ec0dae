package io.gfs.ha;

import org.apache.thrift.TException;
import org.apache.thrift.TProcessor;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TProtocolDecorator;

/**
 * Server side of {@link RequestId}: strips the id from the message name, hands the plain call to the service's
 * processor and makes the id visible to the handler through {@link #current()} while the call runs (Thrift's
 * synchronous processors run a call on the thread that read it). The pattern is Thrift's own TMultiplexedProcessor.
 */
public final class RequestIdProcessor implements TProcessor, io.gfs.common.rpc.ProcessorChain {
  private static final ThreadLocal<RequestId> CURRENT = new ThreadLocal<>();

  private final TProcessor inner;

  public RequestIdProcessor(TProcessor inner) {
    this.inner = inner;
  }

  /** The service's processor (the diagnostic log decodes calls with its method table, issue 8). */
  @Override
  public TProcessor next() {
    return inner;
  }

  /** The request id of the call this thread is serving, or null when it carries none. */
  public static RequestId current() {
    return CURRENT.get();
  }

  @Override
  public void process(TProtocol in, TProtocol out) throws TException {
    TMessage message = in.readMessageBegin();
    RequestId id = RequestId.parse(message.name);
    TMessage plain = new TMessage(RequestId.methodName(message.name), message.type, message.seqid);
    CURRENT.set(id);
    try {
      inner.process(new StoredMessage(in, plain), out);
    } finally {
      // Not remove(): the thread serves the next call too, and a removed entry is made again (an allocation) by its
      // set; nothing reads the entry's absence, current() answers null either way.
      CURRENT.set(null);
    }
  }

  /** Answers the already read message begin once, then reads through. */
  private static final class StoredMessage extends TProtocolDecorator {
    private TMessage stored;

    StoredMessage(TProtocol protocol, TMessage stored) {
      super(protocol);
      this.stored = stored;
    }

    @Override
    public TMessage readMessageBegin() throws TException {
      if (stored != null) {
        TMessage m = stored;
        stored = null;
        return m;
      }
      return super.readMessageBegin();
    }
  }
}
