package io.gfs.common.rpc;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.apache.thrift.TBase;

/**
 * Binary fields of generated Thrift structs without a copy. The generator (private_members) keeps them private and
 * copies in every accessor: {@code getX()} copies a view into a right-sized array and then copies that again,
 * {@code bufferForX()} copies too. A 1 MiB read reply or push piece paid two extra copies and two 1 MiB allocations
 * that way on the data path. The view shares the struct's bytes (often a received frame): read it, do not write it.
 */
public final class ThriftBinary {
  private static final ClassValue<Map<String, Field>> FIELDS = new ClassValue<>() {
    @Override
    protected Map<String, Field> computeValue(Class<?> type) {
      Map<String, Field> fields = new HashMap<>();
      for (Field f : type.getDeclaredFields()) {
        if (f.getType() == ByteBuffer.class) {
          try {
            f.setAccessible(true);
            fields.put(f.getName(), f);
          } catch (RuntimeException e) {
            // not accessible here: callers fall back to the copying accessor
          }
        }
      }
      return Map.copyOf(fields);
    }
  };

  private ThriftBinary() {}

  /**
   * A read-only view of the struct's binary field {@code fieldName} (its IDL name), positioned at its bytes; null
   * when the field is unset, or when it cannot be reached (then use the generated accessor).
   */
  public static ByteBuffer view(TBase<?, ?> struct, String fieldName) {
    Field f = FIELDS.get(struct.getClass()).get(fieldName);
    if (f == null) {
      return null;
    }
    try {
      ByteBuffer value = (ByteBuffer) f.get(struct);
      return value == null ? null : value.asReadOnlyBuffer();
    } catch (IllegalAccessException e) {
      return null;
    }
  }

  /**
   * The struct's binary field {@code fieldName} itself (a duplicate: its own position and limit, the same bytes, on
   * the same array when the field has one), for callers that need the array, such as a CRC or a file write over a
   * received record; null when the field is unset or cannot be reached (then use the generated accessor). Shares the
   * struct's bytes (often a received frame, which the server never reuses): read it, do not write it.
   */
  public static ByteBuffer shared(TBase<?, ?> struct, String fieldName) {
    Field f = FIELDS.get(struct.getClass()).get(fieldName);
    if (f == null) {
      return null;
    }
    try {
      ByteBuffer value = (ByteBuffer) f.get(struct);
      return value == null ? null : value.duplicate();
    } catch (IllegalAccessException e) {
      return null;
    }
  }

  /**
   * Sets the struct's binary field {@code fieldName} to {@code value} itself, without the generated setter's copy;
   * false when the field cannot be reached (then use the setter). The caller must not change the bytes while the
   * struct is in use.
   */
  public static boolean set(TBase<?, ?> struct, String fieldName, ByteBuffer value) {
    Field f = FIELDS.get(struct.getClass()).get(fieldName);
    if (f == null) {
      return false;
    }
    try {
      f.set(struct, value);
      return true;
    } catch (IllegalAccessException e) {
      return false;
    }
  }
}
