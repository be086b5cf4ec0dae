package io.gfs.client.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.thrift.gen.ErrorCode;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  @Test
  void backoffDoublesAndIsCapped() {
    RetryPolicy policy = new RetryPolicy(8, 100);
    assertEquals(100, policy.pauseMillis(0));
    assertEquals(200, policy.pauseMillis(1));
    assertEquals(400, policy.pauseMillis(2));
    assertEquals(RetryPolicy.BACKOFF_MILLIS_MAX, policy.pauseMillis(20));
    assertEquals(RetryPolicy.BACKOFF_MILLIS_MAX, policy.pauseMillis(63));
    assertEquals(0, new RetryPolicy(3, 0).pauseMillis(5));
  }

  @Test
  void attemptsAreBounded() {
    RetryPolicy policy = new RetryPolicy(3, 1);
    assertTrue(policy.mayRetry(0));
    assertTrue(policy.mayRetry(1));
    assertFalse(policy.mayRetry(2));
    assertFalse(new RetryPolicy(1, 1).mayRetry(0));
    assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(1, -1));
  }

  @Test
  void namespaceAnswersAreFinalAndReplicaTroubleIsRetried() {
    Set<ErrorCode> finalCodes = EnumSet.of(ErrorCode.NOT_FOUND, ErrorCode.ALREADY_EXISTS,
        ErrorCode.PARENT_NOT_DIRECTORY, ErrorCode.DIRECTORY_NOT_EMPTY, ErrorCode.INVALID_PATH, ErrorCode.IS_DIRECTORY,
        ErrorCode.NOT_DIRECTORY, ErrorCode.INVALID_ARGUMENT, ErrorCode.RECORD_TOO_LARGE, ErrorCode.OUT_OF_RANGE,
        ErrorCode.CHUNK_FULL, ErrorCode.PERMISSION_DENIED, ErrorCode.SAFE_MODE);
    for (ErrorCode code : ErrorCode.values()) {
      assertEquals(!finalCodes.contains(code), RetryPolicy.retryable(code), code.name());
    }
  }

  @Test
  void theMasterIsAskedAgainOnlyWhenItSaysNotMeOrNotNow() {
    Set<ErrorCode> again = EnumSet.of(ErrorCode.NOT_MASTER, ErrorCode.READ_ONLY_SHADOW, ErrorCode.BUSY,
        ErrorCode.STALE_EPOCH);
    for (ErrorCode code : ErrorCode.values()) {
      assertEquals(again.contains(code), RetryPolicy.retriedAtMaster(code), code.name());
    }
  }
}
