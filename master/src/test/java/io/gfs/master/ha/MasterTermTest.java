package io.gfs.master.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class MasterTermTest {
  @Test
  void revocationIsOneWayAndKeepsTheFirstReason() throws Exception {
    MasterTerm term = MasterTerm.elected(7);
    term.checkActive();
    term.revoke("ZooKeeper connection SUSPENDED");
    term.revoke("the master is closing");
    assertFalse(term.active());
    IOException e = assertThrows(IOException.class, term::checkActive);
    assertTrue(e.getMessage().contains("epoch 7 ended: ZooKeeper connection SUSPENDED"), e.getMessage());
  }

  @Test
  void unelectedTermHasEpochZeroAndElectedOnesArePositive() {
    assertEquals(0, MasterTerm.unelected().epoch());
    assertTrue(MasterTerm.unelected().active());
    assertThrows(IllegalArgumentException.class, () -> MasterTerm.elected(0));
  }

  @Test
  void aSuspendedTermRefusesUntilResumed() throws Exception {
    MasterTerm term = MasterTerm.elected(2);
    term.suspend(true);
    assertThrows(NotActiveException.class, term::checkActive);
    term.suspend(false);
    term.checkActive();
    assertTrue(term.active());
  }
}
