package io.gfs.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import java.io.FileNotFoundException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class GfsClientExceptionTest {
  @Test
  void notFoundBecomesFileNotFoundException() {
    IOException e = GfsClientException.of(new GfsException(ErrorCode.NOT_FOUND, "no /a"), "open /a");
    assertInstanceOf(FileNotFoundException.class, e);
    assertTrue(e.getMessage().contains("open /a") && e.getMessage().contains("no /a"), e.getMessage());
  }

  @Test
  void otherCodesAreCarried() {
    for (ErrorCode code : ErrorCode.values()) {
      if (code == ErrorCode.NOT_FOUND) {
        continue;
      }
      IOException e = GfsClientException.of(new GfsException(code, "m"), "op");
      assertEquals(code, assertInstanceOf(GfsClientException.class, e).code());
    }
  }
}
