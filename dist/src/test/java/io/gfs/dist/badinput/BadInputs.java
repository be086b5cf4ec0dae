package io.gfs.dist.badinput;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TField;
import org.apache.thrift.protocol.TList;
import org.apache.thrift.protocol.TMap;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.protocol.TType;
import org.apache.thrift.transport.TMemoryBuffer;

/**
 * The bytes a hostile or broken client sends to a gfs port, each on a connection of its own: random garbage framed
 * and unframed, frame headers that are oversized, negative, zero or cut short, and tiny well-framed Thrift messages
 * that declare huge sizes (strings, binaries, lists, maps and method names of 2^31-1, nesting deeper than any
 * struct) or that are wrong in kind (unknown method, a reply sent as a call, the pre-versioned encoding).
 */
public final class BadInputs {
  /** What the sender does after the bytes: half-close (the server sees end of stream) or keep the socket open. */
  public enum After { HALF_CLOSE, WAIT }

  public record BadInput(String name, byte[] bytes, After after) {}

  private static final int HUGE = Integer.MAX_VALUE;

  private BadInputs() {}

  /** Everything, for a master port ({@code master}) or a chunkserver port. */
  public static List<BadInput> all(boolean master, int frameBytesMax, long seed) throws TException {
    List<BadInput> out = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 40; i++) {
      byte[] garbage = new byte[1 + random.nextInt(8192)];
      random.nextBytes(garbage);
      out.add(new BadInput("garbage frame " + i, frame(garbage), After.WAIT));
      byte[] raw = new byte[1 + random.nextInt(512)];
      random.nextBytes(raw);
      out.add(new BadInput("garbage bytes " + i, raw, After.HALF_CLOSE));
    }
    out.add(new BadInput("frame of 2^31-1 bytes declared", header(HUGE), After.WAIT));
    out.add(new BadInput("frame one byte over the limit", header(frameBytesMax + 1), After.WAIT));
    out.add(new BadInput("negative frame length", header(-5), After.WAIT));
    out.add(new BadInput("zero frame length", header(0), After.WAIT));
    out.add(new BadInput("truncated frame header", new byte[] {0, 0}, After.HALF_CLOSE));
    out.add(new BadInput("truncated frame body", Arrays.copyOf(header(1000), 14), After.HALF_CLOSE));
    String call = master ? "getFileInfo" : "read";
    out.add(new BadInput("method name of 2^31-1 bytes", frame(messageWithHugeName()), After.WAIT));
    out.add(new BadInput("string of 2^31-1 bytes", frame(hugeField(call, TType.STRING)), After.WAIT));
    out.add(new BadInput("list of 2^31-1 elements", frame(hugeField(call, TType.LIST)), After.WAIT));
    out.add(new BadInput("set of 2^31-1 elements", frame(hugeField(call, TType.SET)), After.WAIT));
    out.add(new BadInput("map of 2^31-1 entries", frame(hugeField(call, TType.MAP)), After.WAIT));
    out.add(new BadInput("binary of 2^31-1 bytes", frame(hugeField(master ? "getFileInfo" : "pushData",
        TType.STRING)), After.WAIT));
    out.add(new BadInput("structs nested 100000 deep", frame(deeplyNested(call, 100_000)), After.WAIT));
    out.add(new BadInput("unknown method", frame(emptyCall("noSuchMethod", TMessageType.CALL)), After.WAIT));
    out.add(new BadInput("a reply sent as a request", frame(emptyCall(call, TMessageType.REPLY)), After.WAIT));
    out.add(new BadInput("unversioned message", frame(unversioned(call)), After.WAIT));
    out.add(new BadInput("call with every field of the wrong type", frame(wrongTypes(call)), After.WAIT));
    return out;
  }

  static byte[] header(int length) {
    return new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
  }

  static byte[] frame(byte[] body) {
    byte[] out = Arrays.copyOf(header(body.length), body.length + 4);
    System.arraycopy(body, 0, out, 4, body.length);
    return out;
  }

  private static byte[] messageWithHugeName() {
    // Strict binary protocol: version|type, then the name's length.
    byte[] b = new byte[16];
    b[0] = (byte) 0x80;
    b[1] = 0x01;
    b[3] = TMessageType.CALL;
    System.arraycopy(header(HUGE), 0, b, 4, 4);
    return b;
  }

  /** A call whose first field declares a container or string of 2^31-1, then ends after a few bytes. */
  private static byte[] hugeField(String method, byte type) throws TException {
    TMemoryBuffer buffer = new TMemoryBuffer(64);
    TBinaryProtocol p = new TBinaryProtocol(buffer);
    p.writeMessageBegin(new TMessage(method, TMessageType.CALL, 1));
    p.writeFieldBegin(new TField("f", type, (short) 1));
    switch (type) {
      case TType.STRING -> p.writeI32(HUGE);
      case TType.LIST -> p.writeListBegin(new TList(TType.STRING, HUGE));
      case TType.SET -> p.writeSetBegin(new org.apache.thrift.protocol.TSet(TType.I64, HUGE));
      case TType.MAP -> p.writeMapBegin(new TMap(TType.STRING, TType.STRING, HUGE));
      default -> throw new IllegalArgumentException("type " + type);
    }
    p.writeI32(0x41414141);
    return bytes(buffer);
  }

  private static byte[] deeplyNested(String method, int depth) throws TException {
    TMemoryBuffer buffer = new TMemoryBuffer(depth * 3 + 64);
    TBinaryProtocol p = new TBinaryProtocol(buffer);
    p.writeMessageBegin(new TMessage(method, TMessageType.CALL, 1));
    for (int i = 0; i < depth; i++) {
      p.writeFieldBegin(new TField("n", TType.STRUCT, (short) 99));
    }
    return bytes(buffer);
  }

  private static byte[] emptyCall(String method, byte type) throws TException {
    TMemoryBuffer buffer = new TMemoryBuffer(64);
    TBinaryProtocol p = new TBinaryProtocol(buffer);
    p.writeMessageBegin(new TMessage(method, type, 1));
    p.writeFieldStop();
    p.writeMessageEnd();
    return bytes(buffer);
  }

  private static byte[] unversioned(String method) throws TException {
    TMemoryBuffer buffer = new TMemoryBuffer(64);
    TBinaryProtocol p = new TBinaryProtocol(buffer, false, false);
    p.writeMessageBegin(new TMessage(method, TMessageType.CALL, 1));
    p.writeFieldStop();
    return bytes(buffer);
  }

  /** Fields 1..5 as doubles, bools and empty maps: skipped as unknown-typed, leaving required ones unset. */
  private static byte[] wrongTypes(String method) throws TException {
    TMemoryBuffer buffer = new TMemoryBuffer(64);
    TBinaryProtocol p = new TBinaryProtocol(buffer);
    p.writeMessageBegin(new TMessage(method, TMessageType.CALL, 1));
    for (short id = 1; id <= 5; id++) {
      p.writeFieldBegin(new TField("x", TType.DOUBLE, id));
      p.writeDouble(Double.NaN);
    }
    p.writeFieldStop();
    p.writeMessageEnd();
    return bytes(buffer);
  }

  private static byte[] bytes(TMemoryBuffer buffer) {
    return Arrays.copyOf(buffer.getArray(), buffer.length());
  }
}
