package io.gfs.common.web;

import io.gfs.common.Check;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A streaming JSON writer for the /api endpoints: objects, arrays, names and scalar values, with every string escaped
 * (paths and server ids are user data). Misuse (a value where a name is due, unbalanced ends) fails at once.
 */
public final class Json {
  private final StringBuilder out = new StringBuilder();
  /** Per open container: true while it has no element yet; objects also track whether a name awaits its value. */
  private final Deque<boolean[]> open = new ArrayDeque<>();

  public Json beginObject() {
    beforeValue();
    out.append('{');
    open.push(new boolean[] {true, false, true});
    return this;
  }

  public Json endObject() {
    Check.state(!open.isEmpty() && open.peek()[2] && !open.peek()[1], "no open object to end in %s", out);
    open.pop();
    out.append('}');
    return this;
  }

  public Json beginArray() {
    beforeValue();
    out.append('[');
    open.push(new boolean[] {true, false, false});
    return this;
  }

  public Json endArray() {
    Check.state(!open.isEmpty() && !open.peek()[2], "no open array to end in %s", out);
    open.pop();
    out.append(']');
    return this;
  }

  public Json name(String name) {
    Check.state(!open.isEmpty() && open.peek()[2] && !open.peek()[1], "a name outside an object in %s", out);
    boolean[] top = open.peek();
    if (!top[0]) {
      out.append(',');
    }
    top[0] = false;
    top[1] = true;
    quote(name);
    out.append(':');
    return this;
  }

  public Json value(String value) {
    beforeValue();
    if (value == null) {
      out.append("null");
    } else {
      quote(value);
    }
    return this;
  }

  public Json value(long value) {
    beforeValue();
    out.append(value);
    return this;
  }

  public Json value(double value) {
    beforeValue();
    out.append(Double.isFinite(value) ? Double.toString(value) : "null");
    return this;
  }

  public Json value(boolean value) {
    beforeValue();
    out.append(value);
    return this;
  }

  public Json field(String name, String value) {
    return name(name).value(value);
  }

  public Json field(String name, long value) {
    return name(name).value(value);
  }

  public Json field(String name, double value) {
    return name(name).value(value);
  }

  public Json field(String name, boolean value) {
    return name(name).value(value);
  }

  private void beforeValue() {
    if (open.isEmpty()) {
      Check.state(out.length() == 0, "a second top-level value after %s", out);
      return;
    }
    boolean[] top = open.peek();
    if (top[2]) {
      Check.state(top[1], "a value without a name in an object: %s", out);
      top[1] = false;
    } else {
      if (!top[0]) {
        out.append(',');
      }
      top[0] = false;
    }
  }

  private void quote(String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        // '<' too: a JSON document pasted into a script element can then never close it.
        case '<' -> out.append("\\u003c");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** The document; every container must be closed. */
  @Override
  public String toString() {
    Check.state(open.isEmpty(), "%s containers still open in %s", open.size(), out);
    return out.toString();
  }
}
