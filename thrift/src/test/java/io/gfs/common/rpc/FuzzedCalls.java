package io.gfs.common.rpc;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.thrift.ProcessFunction;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.TBase;
import org.apache.thrift.TBaseProcessor;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.TEnum;
import org.apache.thrift.TException;
import org.apache.thrift.TFieldIdEnum;
import org.apache.thrift.TFieldRequirementType;
import org.apache.thrift.meta_data.EnumMetaData;
import org.apache.thrift.meta_data.FieldMetaData;
import org.apache.thrift.meta_data.FieldValueMetaData;
import org.apache.thrift.meta_data.ListMetaData;
import org.apache.thrift.meta_data.MapMetaData;
import org.apache.thrift.meta_data.SetMetaData;
import org.apache.thrift.meta_data.StructMetaData;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TType;
import org.apache.thrift.transport.TMemoryBuffer;
import org.apache.thrift.transport.TMemoryInputTransport;

/**
 * Drives a real Thrift processor (master or chunkserver) with fuzzed calls, in memory: the request bytes go through the
 * processor exactly as a server's worker runs them, with the server's protocol limits. Two kinds of input: raw bytes
 * (the framed message body a client could send) and structured calls built from the IDL's metadata, so every method
 * of the service, also ones added later, is reached with well-formed but hostile arguments.
 */
public final class FuzzedCalls {
  /** Deepest nesting of generated structs, lists and maps (the IDL's own depth is 3). */
  private static final int DEPTH_MAX = 4;
  private static final int ELEMENTS_MAX = 5;
  private static final int BINARY_BYTES_MAX = 70_000;
  private static final long[] EDGE_LONGS = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE,
      Integer.MIN_VALUE, 1L << 20, (1L << 20) + 1, 1L << 26, 1L << 30, 64 << 10};

  private FuzzedCalls() {}

  /** What came back for one request. */
  public record Outcome(Kind kind, ErrorCode code, int applicationErrorType, String detail) {
    public enum Kind {
      /** The method returned normally. */
      OK,
      /** The method raised GfsException (code set). */
      TYPED_ERROR,
      /** The processor answered TApplicationException (bad method, bad arguments, or an escaped exception). */
      APPLICATION_ERROR,
      /** The processor threw TException: a server closes the connection. */
      CONNECTION_CLOSED,
      /** No reply bytes (a one-way call). */
      NO_REPLY
    }

    public boolean rejected() {
      return kind != Kind.OK && kind != Kind.NO_REPLY;
    }

    /**
     * A typed answer a client can act on; INTERNAL and the processor's INTERNAL_ERROR mean an exception escaped a
     * handler's own checks, i.e. bad input reached code that did not expect it.
     */
    public boolean clean() {
      return switch (kind) {
        case TYPED_ERROR -> code != ErrorCode.INTERNAL;
        case APPLICATION_ERROR -> applicationErrorType != TApplicationException.INTERNAL_ERROR;
        default -> true;
      };
    }
  }

  /** Values structured strings are drawn from half of the time: paths and names the service under test knows. */
  public record Dictionary(List<String> strings) {}

  /** The method names of a processor, sorted (a stable order keeps saved inputs meaningful). */
  public static List<String> methods(TBaseProcessor<?> processor) {
    List<String> names = new ArrayList<>(processor.getProcessMapView().keySet());
    names.sort(null);
    return names;
  }

  /** A well-formed call message of one of the processor's methods, its arguments drawn from {@code data}. */
  public static byte[] structuredCall(TBaseProcessor<?> processor, FuzzedDataProvider data, Dictionary dictionary)
      throws TException {
    List<String> names = methods(processor);
    String method = names.get(data.consumeInt(0, names.size() - 1));
    ProcessFunction<?, ?, ?> function = processor.getProcessMapView().get(method);
    TBase<?, ?> args = (TBase<?, ?>) function.getEmptyArgsInstance();
    fill(args, data, dictionary, 0);
    TMemoryBuffer out = new TMemoryBuffer(256);
    TProtocol protocol = new TBinaryProtocol(out);
    protocol.writeMessageBegin(new TMessage(method, TMessageType.CALL, data.consumeInt(0, 1000)));
    args.write(protocol);
    protocol.writeMessageEnd();
    return java.util.Arrays.copyOf(out.getArray(), out.length());
  }

  /** Runs one request through the processor with {@code limits}' protocol bounds and reads the reply. */
  public static Outcome run(TBaseProcessor<?> processor, byte[] request, RpcLimits limits) {
    try {
      TConfiguration configuration = new TConfiguration(limits.frameBytesMax(), limits.frameBytesMax(),
          TConfiguration.DEFAULT_RECURSION_DEPTH);
      TMemoryInputTransport in = new TMemoryInputTransport(configuration, request);
      TMemoryBuffer out = new TMemoryBuffer(configuration, 256);
      TProtocol input = new TBinaryProtocol(in, limits.stringBytesMax(), limits.containerLengthMax(), true, true);
      try {
        processor.process(input, new TBinaryProtocol(out));
      } catch (TException closed) {
        return new Outcome(Outcome.Kind.CONNECTION_CLOSED, null, 0, closed.toString());
      }
      if (out.length() == 0) {
        return new Outcome(Outcome.Kind.NO_REPLY, null, 0, "");
      }
      try {
        // Read a copy: the bytes are what a server would send, and a fresh transport counts its own message size
        // (reading the TMemoryBuffer itself failed on a well-formed 894-byte reply with "Message size exceeds limit").
        byte[] bytes = java.util.Arrays.copyOf(out.getArray(), out.length());
        return readReply(processor, new TBinaryProtocol(new TMemoryInputTransport(configuration, bytes)));
      } catch (TException e) {
        byte[] reply = java.util.Arrays.copyOf(out.getArray(), Math.min(out.length(), 64));
        throw new AssertionError("the processor wrote a reply that does not parse (" + out.length() + " bytes, "
            + java.util.HexFormat.of().formatHex(reply) + "...): " + e, e);
      }
    } catch (TException e) {
      throw new AssertionError("a memory transport failed: " + e, e);
    }
  }

  private static Outcome readReply(TBaseProcessor<?> processor, TProtocol reply) throws TException {
    TMessage message = reply.readMessageBegin();
    if (message.type == TMessageType.EXCEPTION) {
      TApplicationException e = TApplicationException.readFrom(reply);
      return new Outcome(Outcome.Kind.APPLICATION_ERROR, null, e.getType(), e.getMessage());
    }
    ProcessFunction<?, ?, ?> function = processor.getProcessMapView().get(message.name);
    if (function == null) {
      throw new AssertionError("a reply for a method the processor does not have: " + message.name);
    }
    TBase<?, ?> result = (TBase<?, ?>) function.getEmptyResultInstance();
    result.read(reply);
    Map<? extends TFieldIdEnum, FieldMetaData> fields = FieldMetaData.getStructMetaDataMap(result.getClass());
    for (TFieldIdEnum field : fields.keySet()) {
      Object value = get(result, field);
      if (value instanceof GfsException e) {
        return new Outcome(Outcome.Kind.TYPED_ERROR, e.getCode(), 0, e.getMessage());
      }
    }
    return new Outcome(Outcome.Kind.OK, null, 0, "");
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object get(TBase result, TFieldIdEnum field) {
    return result.isSet(field) ? result.getFieldValue(field) : null;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void fill(TBase struct, FuzzedDataProvider data, Dictionary dictionary, int depth) {
    Map<? extends TFieldIdEnum, FieldMetaData> fields = FieldMetaData.getStructMetaDataMap(struct.getClass());
    for (Map.Entry<? extends TFieldIdEnum, FieldMetaData> e : fields.entrySet()) {
      // Leaving an optional field out exercises the receiver's presence checks (a required one cannot be left out:
      // the writer refuses; rawMessages covers messages without them).
      boolean required = e.getValue().requirementType == TFieldRequirementType.REQUIRED;
      if (!required && (data.remainingBytes() == 0 || data.consumeInt(0, 9) == 0)) {
        continue;
      }
      Object value = value(e.getValue().valueMetaData, data, dictionary, required ? 0 : depth);
      if (value != null) {
        struct.setFieldValue(e.getKey(), value);
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object value(FieldValueMetaData meta, FuzzedDataProvider data, Dictionary dictionary, int depth) {
    switch (meta.type) {
      case TType.BOOL:
        return data.consumeBoolean();
      case TType.BYTE:
        return data.consumeByte();
      case TType.I16:
        return data.consumeBoolean() ? (short) data.consumeInt(-1, 0777) : data.consumeShort();
      case TType.I32:
        return (int) someLong(data, Integer.MIN_VALUE, Integer.MAX_VALUE);
      case TType.I64:
        return someLong(data, Long.MIN_VALUE, Long.MAX_VALUE);
      case TType.DOUBLE:
        return data.consumeDouble();
      case TType.STRING:
        if (meta.isBinary()) {
          return ByteBuffer.wrap(data.consumeBytes(data.consumeInt(0, BINARY_BYTES_MAX)));
        }
        if (!dictionary.strings().isEmpty() && data.consumeBoolean()) {
          return data.pickValue(dictionary.strings());
        }
        return data.consumeString(64);
      case TType.ENUM: {
        Class<?> type = ((EnumMetaData) meta).enumClass;
        Object[] values = type.getEnumConstants();
        return values.length == 0 ? null : (TEnum) values[data.consumeInt(0, values.length - 1)];
      }
      case TType.STRUCT: {
        if (depth >= DEPTH_MAX) {
          return null; // the IDL's structs do not nest recursively, so a required one (depth 0) always ends
        }
        try {
          TBase nested = (TBase) ((StructMetaData) meta).structClass.getDeclaredConstructor().newInstance();
          fill(nested, data, dictionary, depth + 1);
          return nested;
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
      case TType.LIST: {
        List<Object> list = new ArrayList<>();
        fillCollection(list, ((ListMetaData) meta).elemMetaData, data, dictionary, depth);
        return list;
      }
      case TType.SET: {
        Set<Object> set = new HashSet<>();
        fillCollection(set, ((SetMetaData) meta).elemMetaData, data, dictionary, depth);
        return set;
      }
      case TType.MAP: {
        Map<Object, Object> map = new HashMap<>();
        MapMetaData m = (MapMetaData) meta;
        int n = depth >= DEPTH_MAX ? 0 : data.consumeInt(0, ELEMENTS_MAX);
        for (int i = 0; i < n; i++) {
          Object k = value(m.keyMetaData, data, dictionary, depth + 1);
          Object v = value(m.valueMetaData, data, dictionary, depth + 1);
          if (k != null && v != null) {
            map.put(k, v);
          }
        }
        return map;
      }
      default:
        return null;
    }
  }

  private static void fillCollection(java.util.Collection<Object> into, FieldValueMetaData element,
      FuzzedDataProvider data, Dictionary dictionary, int depth) {
    int n = depth >= DEPTH_MAX ? 0 : data.consumeInt(0, ELEMENTS_MAX);
    for (int i = 0; i < n; i++) {
      Object v = value(element, data, dictionary, depth + 1);
      if (v != null) {
        into.add(v);
      }
    }
  }

  /** Mostly small or edge values (handles, versions, offsets the server knows), sometimes anything. */
  private static long someLong(FuzzedDataProvider data, long min, long max) {
    return switch (data.consumeInt(0, 3)) {
      case 0 -> data.consumeLong(Math.max(min, -2), Math.min(max, 8));
      case 1 -> Math.max(min, Math.min(max, EDGE_LONGS[data.consumeInt(0, EDGE_LONGS.length - 1)]));
      case 2 -> data.consumeLong(Math.max(min, 0), Math.min(max, 4L << 20));
      // Jazzer 0.24's native consumeLong(Long.MIN_VALUE, Long.MAX_VALUE) divides by the range + 1, which overflows
      // to 0: SIGFPE, the whole JVM gone. The full range has its own call.
      default -> min == Long.MIN_VALUE && max == Long.MAX_VALUE ? data.consumeLong() : data.consumeLong(min, max);
    };
  }
}
