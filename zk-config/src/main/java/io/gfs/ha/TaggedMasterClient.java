package io.gfs.ha;

import io.gfs.thrift.gen.MasterService;
import org.apache.thrift.protocol.TProtocol;

/**
 * A master client whose next call can carry a {@link RequestId}. A class of its own, so connection pools keep its
 * (decorated) connections apart from plain master clients'.
 */
public final class TaggedMasterClient extends MasterService.Client {
  public TaggedMasterClient(TProtocol protocol) {
    super(new RequestIdProtocol(protocol));
  }

  /** Tags the next call with id (null: untagged). */
  public void tagNext(RequestId id) {
    ((RequestIdProtocol) getOutputProtocol()).tagNext(id);
  }
}
