package io.gfs.common.rpc;

import org.apache.thrift.TProcessor;

/**
 * A processor that wraps another (a request-id stripper, a filter) and hands each call on to it. The diagnostic log
 * looks through such wrappers for the service's own processor, whose method table decodes requests and replies for the
 * log; without it every call would be logged as an unknown method [0133].
 */
public interface ProcessorChain {
  /** The processor this one hands calls on to. */
  TProcessor next();
}
