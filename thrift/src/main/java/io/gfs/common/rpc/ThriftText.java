package io.gfs.common.rpc;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.thrift.TBase;
import org.apache.thrift.TFieldIdEnum;
import org.apache.thrift.meta_data.FieldMetaData;
import org.apache.thrift.meta_data.FieldValueMetaData;
import org.apache.thrift.meta_data.ListMetaData;
import org.apache.thrift.meta_data.MapMetaData;
import org.apache.thrift.meta_data.SetMetaData;

/**
 * Thrift structs as short text for the diagnostic log, driven by the generated field metadata. Binary fields never
 * appear, only their length ("<1048576 bytes>"): the log keeps the exact requests and replies except for the file
 * data [0134]. Long strings and containers are cut, so one event stays one readable line.
 */
final class ThriftText {
  static final int STRING_CHARS_MAX = 200;
  static final int ELEMENTS_MAX = 16;

  /** Structs rendered since the JVM started; tests use it to see that a worker left the text for later. */
  private static final LongAdder RENDERS = new LongAdder();

  private ThriftText() {}

  static long renders() {
    return RENDERS.sum();
  }

  static String of(TBase<?, ?> struct) {
    RENDERS.increment();
    StringBuilder out = new StringBuilder();
    struct(struct, out);
    return out.toString();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void struct(TBase<?, ?> struct, StringBuilder out) {
    Map<? extends TFieldIdEnum, FieldMetaData> fields = FieldMetaData.getStructMetaDataMap((Class) struct.getClass());
    out.append('{');
    boolean first = true;
    for (Map.Entry<? extends TFieldIdEnum, FieldMetaData> field : fields.entrySet()) {
      TBase raw = struct;
      if (!raw.isSet(field.getKey())) {
        continue;
      }
      out.append(first ? "" : ", ").append(field.getValue().fieldName).append('=');
      FieldValueMetaData meta = field.getValue().valueMetaData;
      ByteBuffer binary = meta != null && meta.isBinary()
          ? ThriftBinary.view(struct, field.getValue().fieldName) : null;
      // The generated getter of a binary field copies a view of a frame into a new array (TBaseHelper.rightSize):
      // 1 MiB per logged pushData or read, the top allocation of the data path in the benchmark's JFR profile.
      value(meta, binary != null ? binary : raw.getFieldValue(field.getKey()), out);
      first = false;
    }
    out.append('}');
  }

  private static void value(FieldValueMetaData meta, Object value, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof byte[] bytes) {
      out.append('<').append(bytes.length).append(" bytes>");
    } else if (value instanceof ByteBuffer buffer) {
      out.append('<').append(buffer.remaining()).append(" bytes>");
    } else if (meta != null && meta.isBinary()) {
      out.append("<binary>"); // never the bytes, whatever their Java type
    } else if (value instanceof TBase<?, ?> nested) {
      struct(nested, out);
    } else if (value instanceof String text) {
      string(text, out);
    } else if (value instanceof Map<?, ?> map) {
      map(meta instanceof MapMetaData m ? m : null, map, out);
    } else if (value instanceof Collection<?> elements) {
      FieldValueMetaData element = meta instanceof ListMetaData list ? list.elemMetaData
          : meta instanceof SetMetaData set ? set.elemMetaData : null;
      collection(element, elements, out);
    } else {
      out.append(value);
    }
  }

  private static void string(String text, StringBuilder out) {
    out.append('"');
    if (text.length() <= STRING_CHARS_MAX) {
      out.append(text);
    } else {
      out.append(text, 0, STRING_CHARS_MAX).append("...(").append(text.length()).append(" chars)");
    }
    out.append('"');
  }

  private static void collection(FieldValueMetaData element, Collection<?> elements, StringBuilder out) {
    out.append('[');
    int count = 0;
    for (Object item : elements) {
      if (count == ELEMENTS_MAX) {
        out.append(", ...(").append(elements.size()).append(" in all)");
        break;
      }
      out.append(count == 0 ? "" : ", ");
      value(element, item, out);
      count++;
    }
    out.append(']');
  }

  private static void map(MapMetaData meta, Map<?, ?> map, StringBuilder out) {
    out.append('{');
    int count = 0;
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (count == ELEMENTS_MAX) {
        out.append(", ...(").append(map.size()).append(" in all)");
        break;
      }
      out.append(count == 0 ? "" : ", ");
      value(meta == null ? null : meta.keyMetaData, entry.getKey(), out);
      out.append(": ");
      value(meta == null ? null : meta.valueMetaData, entry.getValue(), out);
      count++;
    }
    out.append('}');
  }
}
