package io.gfs.ha;

import org.apache.thrift.TException;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TProtocolDecorator;

/**
 * Client side of {@link RequestId}: tags the next call's message name with the id set by {@link #tagNext}. One
 * protocol serves one pooled connection, used by one thread at a time, so a plain field suffices.
 */
public final class RequestIdProtocol extends TProtocolDecorator {
  private RequestId next;

  public RequestIdProtocol(TProtocol protocol) {
    super(protocol);
  }

  /** The id for the next message written (null: untagged). */
  public void tagNext(RequestId id) {
    this.next = id;
  }

  @Override
  public void writeMessageBegin(TMessage message) throws TException {
    RequestId id = next;
    next = null;
    super.writeMessageBegin(id == null ? message : new TMessage(id.tag(message.name), message.type, message.seqid));
  }
}
