package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A node's name bytes against the UTF-8 a checkpoint holds (issue 6): the writer writes a name's bytes as they are
 * exactly when {@link NameBytes#isUtf8} says they are what {@code String.getBytes(UTF_8)} gives.
 */
class NameBytesTest {
  private static String randomName(SplittableRandom random) {
    StringBuilder name = new StringBuilder();
    for (int i = random.nextInt(0, 12); i > 0; i--) {
      name.append(switch (random.nextInt(6)) {
        case 0 -> (char) random.nextInt(0, 0x80);
        case 1 -> (char) random.nextInt(0x80, 0x800);
        case 2 -> (char) random.nextInt(0x800, 0xD800);
        case 3 -> (char) random.nextInt(0xD800, 0xE000); // a surrogate, mostly lone
        case 4 -> (char) random.nextInt(0xE000, 0x10000);
        default -> "\ud83d\ude00"; // a pair
      });
    }
    return name.toString();
  }

  @Test
  void theBytesAreUtf8ExactlyWhenTheyEqualTheStringsUtf8() {
    SplittableRandom random = new SplittableRandom(61);
    int utf8 = 0;
    for (int i = 0; i < 20_000; i++) {
      String name = randomName(random);
      byte[] encoded = NameBytes.encode(name);
      byte[] standard = name.getBytes(StandardCharsets.UTF_8);
      // Inside a larger array, as in a file's array: the name sits after a header and before the handles.
      byte[] framed = new byte[encoded.length + 5];
      System.arraycopy(encoded, 0, framed, 2, encoded.length);
      boolean same = Arrays.equals(encoded, standard);
      assertEquals(same, NameBytes.isUtf8(framed, 2, encoded.length), name);
      assertArrayEquals(standard, NameBytes.toUtf8(framed, 2, encoded.length), name);
      utf8 += same ? 1 : 0;
    }
    assertTrue(utf8 > 1000 && utf8 < 19_000, utf8 + " of the random names were UTF-8 already");
  }

  @Test
  void surrogatesAreTheOnlyUnitsThatDiffer() {
    assertTrue(NameBytes.isUtf8(NameBytes.encode("\ud7ff\ue000\uffff\u0800é中"), 0, 14));
    assertFalse(NameBytes.isUtf8(NameBytes.encode("\ud800"), 0, 3));
    assertFalse(NameBytes.isUtf8(NameBytes.encode("x\udfff"), 0, 4));
    assertArrayEquals("?".getBytes(StandardCharsets.UTF_8), NameBytes.toUtf8(NameBytes.encode("\udc00"), 0, 3));
  }
}
