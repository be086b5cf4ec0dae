package io.gfs.common.security;

import io.gfs.thrift.gen.CallerIdentity;
import java.util.Optional;
import org.apache.thrift.TException;
import org.apache.thrift.TProcessor;
import org.apache.thrift.protocol.TField;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TProtocolDecorator;
import org.apache.thrift.protocol.TStruct;
import org.apache.thrift.protocol.TType;

/**
 * How the caller's identity travels with every master call without being an argument of each method (HDFS sends it
 * once per connection, in its connection header; Thrift has no such header): the client writes a
 * {@link CallerIdentity} as one extra field, {@link #FIELD_ID}, at the end of each call's argument struct. Thrift skips
 * fields it does not know, so a server that does not look for it, and a client that does not send it, both work
 * unchanged. The server wraps its processor with {@link #serve}; the handler reads {@link #current()} on the same
 * thread while the call runs.
 */
public final class CallerEnvelope {
  /** The extra argument field; far above any field id a method of the IDL will use. */
  public static final short FIELD_ID = 32700;
  private static final ThreadLocal<Caller> CURRENT = new ThreadLocal<>();

  private CallerEnvelope() {}

  /** A client protocol that adds caller to every call it writes. */
  public static TProtocol sending(TProtocol protocol, Caller caller) {
    return new Sending(protocol, toThrift(caller));
  }

  /** A processor that takes each call's caller out of its arguments and exposes it as {@link #current()}. */
  public static TProcessor serve(TProcessor processor) {
    return new Serving(processor);
  }

  /** Issue 8: a {@link io.gfs.common.rpc.ProcessorChain}, so the diagnostic log still decodes the calls it wraps. */
  private static final class Serving implements TProcessor, io.gfs.common.rpc.ProcessorChain {
    private final TProcessor processor;

    Serving(TProcessor processor) {
      this.processor = processor;
    }

    @Override
    public void process(TProtocol in, TProtocol out) throws TException {
      Receiving receiving = new Receiving(in);
      try {
        processor.process(receiving, out);
      } finally {
        // Not remove(): a worker serves call after call, and a removed entry is made again (an allocation) by the next
        // call's set, or by current()'s get on a call without a caller; current() is empty either way.
        CURRENT.set(null);
      }
    }

    @Override
    public TProcessor next() {
      return processor;
    }
  }

  /** The caller of the call this thread is serving; empty when the client sent none. */
  public static Optional<Caller> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  static CallerIdentity toThrift(Caller caller) {
    return new CallerIdentity(caller.user(), caller.groups());
  }

  private static final class Sending extends TProtocolDecorator {
    private final CallerIdentity caller;
    private final TProtocol delegate;
    private boolean call;
    private int depth;

    Sending(TProtocol protocol, CallerIdentity caller) {
      super(protocol);
      this.delegate = protocol;
      this.caller = caller;
    }

    @Override
    public void writeMessageBegin(TMessage message) throws TException {
      call = message.type == TMessageType.CALL || message.type == TMessageType.ONEWAY;
      depth = 0;
      super.writeMessageBegin(message);
    }

    @Override
    public void writeStructBegin(TStruct struct) throws TException {
      depth++;
      super.writeStructBegin(struct);
    }

    @Override
    public void writeStructEnd() throws TException {
      depth--;
      super.writeStructEnd();
    }

    @Override
    public void writeFieldStop() throws TException {
      if (call && depth == 1) {
        delegate.writeFieldBegin(new TField("caller", TType.STRUCT, FIELD_ID));
        caller.write(delegate);
        delegate.writeFieldEnd();
      }
      super.writeFieldStop();
    }
  }

  private static final class Receiving extends TProtocolDecorator {
    private final TProtocol delegate;
    private int depth;

    Receiving(TProtocol protocol) {
      super(protocol);
      this.delegate = protocol;
    }

    @Override
    public TStruct readStructBegin() throws TException {
      depth++;
      return super.readStructBegin();
    }

    @Override
    public void readStructEnd() throws TException {
      depth--;
      super.readStructEnd();
    }

    @Override
    public TField readFieldBegin() throws TException {
      TField field = super.readFieldBegin();
      while (depth == 1 && field.id == FIELD_ID && field.type == TType.STRUCT) {
        CallerIdentity identity = new CallerIdentity();
        identity.read(delegate);
        super.readFieldEnd();
        try {
          CURRENT.set(new Caller(identity.getUser(), identity.getGroups()));
        } catch (IllegalArgumentException e) {
          throw new org.apache.thrift.protocol.TProtocolException(org.apache.thrift.protocol.TProtocolException.INVALID_DATA,
              "bad caller identity: " + e.getMessage());
        }
        field = super.readFieldBegin();
      }
      return field;
    }
  }
}
