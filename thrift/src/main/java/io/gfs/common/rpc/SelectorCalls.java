package io.gfs.common.rpc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.LongAdder;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TField;
import org.apache.thrift.protocol.TProtocolUtil;
import org.apache.thrift.protocol.TType;
import org.apache.thrift.server.AbstractNonblockingServer.FrameBuffer;
import org.apache.thrift.server.TThreadedSelectorServer;
import org.apache.thrift.transport.TMemoryInputTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libthrift's threaded-selector server, except that a call to one of the methods a server names (a master's in-memory
 * lookups: getFileInfo, a listing page) runs on the selector thread that read its frame instead of going to a worker
 * (issue 6's metadata work). A worker call costs two thread hand-offs: the selector queues the frame and unparks a
 * worker, and the worker, once its reply is written, wakes the selector (an eventfd write, and about one call in ten
 * waited on the JDK selector's wake-up lock in JFR) to read the connection's next request. On the selector thread the
 * call is processed, its reply written and the connection set to read again with neither; libthrift runs every call
 * that way when it has no worker pool. Only calls that answer from memory may be named ({@link SelectorMethods}):
 * while one runs, the other connections of that selector wait. The processor is the same (diagnostic log, metrics, request
 * ids, callers, permission checks, typed errors), and so is the read-memory cap: the frame was read and counted as
 * before, and is released when the reply is ready. A named call whose arguments may make it wait (a bool argument the
 * server names, set true: a listing page with locations takes the chunk coordinator's monitor) goes to a worker.
 */
final class SelectorCalls extends TThreadedSelectorServer {
  private static final Logger LOG = LoggerFactory.getLogger(SelectorCalls.class);
  /** The frame a FrameBuffer has read (a protected field of libthrift's, read here without subclassing it). */
  private static final VarHandle FRAME = frameHandle();
  /** Bytes before a strict binary message's name: the frame length, the version and type, the name's length. */
  private static final int NAME_AT = 12;
  /** A strict binary message's version word (TBinaryProtocol's own constants are protected). */
  private static final int VERSION_MASK = 0xffff0000;
  private static final int VERSION_1 = 0x80010000;

  private final byte[][] selectorMethods;
  /** Per method of {@link #selectorMethods}, the id of the bool argument that sends a call to a worker, or 0. */
  private final short[] workerIfTrue;
  private final BooleanSupplier allowedNow;
  private final LongAdder runOnSelector = new LongAdder();

  SelectorCalls(Args args, SelectorMethods methods) {
    super(args);
    List<String> names = List.copyOf(methods.names());
    this.selectorMethods = names.stream().map(m -> m.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    this.workerIfTrue = new short[names.size()];
    for (int i = 0; i < names.size(); i++) {
      workerIfTrue[i] = methods.workerIfTrue().getOrDefault(names.get(i), (short) 0);
    }
    this.allowedNow = methods.allowedNow();
  }

  private static VarHandle frameHandle() {
    try {
      return MethodHandles.privateLookupIn(FrameBuffer.class, MethodHandles.lookup())
          .findVarHandle(FrameBuffer.class, "buffer_", ByteBuffer.class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("libthrift's frame buffer is not readable ({}): every call goes to a worker", e.toString());
      return null;
    }
  }

  /** Calls run on a selector thread since the server started; for tests. */
  long runOnSelector() {
    return runOnSelector.sum();
  }

  /** Called by the selector thread when a frame is read whole. */
  @Override
  protected boolean requestInvoke(FrameBuffer frameBuffer) {
    ByteBuffer frame = selectorMethods.length > 0 && FRAME != null ? (ByteBuffer) FRAME.get(frameBuffer) : null;
    int method = methodOf(frame, selectorMethods);
    if (method >= 0 && (workerIfTrue[method] == 0 || !boolArgument(frame, workerIfTrue[method]))
        && allowedNow.getAsBoolean()) {
      runOnSelector.increment();
      frameBuffer.invoke(); // catches what the processor throws; a failed call closes its connection, as on a worker
      return true;
    }
    return super.requestInvoke(frameBuffer);
  }

  /**
   * Whether the frame (its length included) is a strict binary call of one of the methods (UTF-8 names), the name possibly followed by
   * '#' and a request id. Anything else, garbage included, goes to a worker and is refused there as before.
   */
  static boolean callsOneOf(ByteBuffer frame, byte[][] methods) {
    return methodOf(frame, methods) >= 0;
  }

  /** The index in {@code methods} of the method the frame calls, as {@link #callsOneOf}, or -1. */
  static int methodOf(ByteBuffer frame, byte[][] methods) {
    if (frame == null || !frame.hasArray() || frame.limit() < NAME_AT) {
      return -1;
    }
    byte[] bytes = frame.array();
    int base = frame.arrayOffset();
    int versionAndType = frame.getInt(4);
    if ((versionAndType & VERSION_MASK) != VERSION_1
        || (byte) versionAndType != org.apache.thrift.protocol.TMessageType.CALL) {
      return -1;
    }
    int nameLength = frame.getInt(8);
    if (nameLength <= 0 || nameLength > frame.limit() - NAME_AT) {
      return -1;
    }
    for (int i = 0; i < methods.length; i++) {
      if (nameMatches(bytes, base + NAME_AT, nameLength, methods[i])) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Whether the arguments of a frame {@link #methodOf} matched set the bool field {@code fieldId} true; true as well
   * when they cannot be read, so that the worker refuses them as before. Skips the other fields (a few short strings
   * and numbers for a listing page), bounded by the frame.
   */
  static boolean boolArgument(ByteBuffer frame, short fieldId) {
    int argsAt = NAME_AT + frame.getInt(8) + Integer.BYTES; // the sequence id follows the name
    int argsLength = frame.limit() - argsAt;
    if (argsLength < 0) {
      return true;
    }
    try {
      TBinaryProtocol in = new TBinaryProtocol(new TMemoryInputTransport(frame.array(), frame.arrayOffset() + argsAt,
          argsLength), argsLength, argsLength);
      in.readStructBegin();
      for (TField field = in.readFieldBegin(); field.type != TType.STOP; field = in.readFieldBegin()) {
        if (field.id == fieldId && field.type == TType.BOOL) {
          return in.readBool();
        }
        TProtocolUtil.skip(in, field.type);
        in.readFieldEnd();
      }
      return false;
    } catch (TException | RuntimeException e) {
      return true;
    }
  }

  private static boolean nameMatches(byte[] bytes, int at, int nameLength, byte[] method) {
    if (nameLength < method.length || (nameLength > method.length && bytes[at + method.length] != '#')) {
      return false;
    }
    for (int i = 0; i < method.length; i++) {
      if (bytes[at + i] != method[i]) {
        return false;
      }
    }
    return true;
  }
}
