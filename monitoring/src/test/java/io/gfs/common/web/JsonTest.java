package io.gfs.common.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void writesNestedContainersWithCommas() {
    String json = new Json().beginObject().field("a", 1).name("b").beginArray().value("x").value(2.5).value(true)
        .endArray().field("c", (String) null).endObject().toString();
    assertEquals("{\"a\":1,\"b\":[\"x\",2.5,true],\"c\":null}", json);
  }

  @Test
  void escapesUserData() {
    String json = new Json().value("/a\"b\\c\n</script>\u0001").toString();
    assertEquals("\"/a\\\"b\\\\c\\n\\u003c/script>\\u0001\"", json);
  }

  @Test
  void nonFiniteNumbersBecomeNull() {
    assertEquals("[null,null]", new Json().beginArray().value(Double.NaN).value(Double.POSITIVE_INFINITY).endArray()
        .toString());
  }

  @Test
  void refusesMisuse() {
    assertThrows(IllegalStateException.class, () -> new Json().beginObject().value(1));
    assertThrows(IllegalStateException.class, () -> new Json().beginArray().toString());
    assertThrows(IllegalStateException.class, () -> new Json().beginArray().endObject());
    assertThrows(IllegalStateException.class, () -> new Json().value(1).value(2));
  }
}
