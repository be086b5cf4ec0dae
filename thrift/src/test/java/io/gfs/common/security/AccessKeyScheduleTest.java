package io.gfs.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AccessKeyScheduleTest {
  private static final long INTERVAL = 10_000;
  private static final long LIFETIME = 3_000;

  @Test
  void theNextKeyIsPublishedBeforeItSignsAndOldTokensStayValidUntilTheyExpire() throws Exception {
    AccessKeySchedule schedule = new AccessKeySchedule(INTERVAL, LIFETIME, new SplittableRandom(1), 0);
    TokenVerifier chunkserver = new TokenVerifier(true);
    chunkserver.accept(schedule.published(0), 0);
    AccessKey first = schedule.current();
    byte[] early = schedule.issue("alice", AccessMode.READ, 9_000, 5);
    assertFalse(schedule.rotateIfDue(INTERVAL - 1));
    assertTrue(schedule.rotateIfDue(INTERVAL));
    assertNotEquals(first.keyId(), schedule.current().keyId());
    // The chunkserver has not heard from the master since the rotation: it already knew the new current key.
    byte[] late = schedule.issue("alice", AccessMode.READ, INTERVAL, 5);
    chunkserver.verify(late, 5, AccessMode.READ, INTERVAL);
    chunkserver.verify(early, 5, AccessMode.READ, INTERVAL);
    // A heartbeat after the rotation still carries the retired key while tokens it signed may live.
    chunkserver.accept(schedule.published(INTERVAL + 1), INTERVAL + 1);
    assertEquals(3, schedule.published(INTERVAL + 1).size());
    chunkserver.verify(early, 5, AccessMode.READ, INTERVAL + 1);
    assertThrows(TokenException.class, () -> chunkserver.verify(early, 5, AccessMode.READ, 9_000 + LIFETIME));
    // Once every token it signed has expired the retired key is dropped everywhere.
    long retiredExpiry = first.expiresMillis();
    schedule.rotateIfDue(retiredExpiry);
    assertFalse(schedule.published(retiredExpiry).stream().anyMatch(k -> k.keyId() == first.keyId()));
    chunkserver.accept(schedule.published(retiredExpiry), retiredExpiry);
    assertEquals(2, chunkserver.keyCount());
  }

  @Test
  void aLateRotationNeverLetsATokenOutliveItsKey() throws Exception {
    AccessKeySchedule schedule = new AccessKeySchedule(INTERVAL, LIFETIME, new SplittableRandom(2), 0);
    long late = INTERVAL + LIFETIME - 100; // the timer did not run at INTERVAL
    AccessToken token = AccessToken.parse(schedule.issue("bob", AccessMode.WRITE, late, 9));
    assertEquals(schedule.current().expiresMillis(), token.expiresMillis());
    assertTrue(token.expiresMillis() < late + LIFETIME);
  }

  @Test
  void keysHaveFreshIdsAndSecrets() {
    AccessKeySchedule a = new AccessKeySchedule(INTERVAL, LIFETIME, new SplittableRandom(3), 0);
    AccessKeySchedule b = new AccessKeySchedule(INTERVAL, LIFETIME, new SplittableRandom(4), 0);
    assertNotEquals(a.current().keyId(), b.current().keyId());
    assertNotEquals(a.current(), a.published(0).get(1));
  }
}
