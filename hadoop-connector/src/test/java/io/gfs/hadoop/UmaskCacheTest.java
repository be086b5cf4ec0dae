package io.gfs.hadoop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;

class UmaskCacheTest {
  @Test
  void answersWhatFsPermissionSaysAndFollowsAChangedSetting() {
    Configuration conf = new Configuration(false);
    UmaskCache cache = new UmaskCache();
    assertEquals(FsPermission.getUMask(conf), cache.umask(conf)); // unset: the default 022
    conf.set(FsPermission.UMASK_LABEL, "077");
    assertEquals((short) 077, cache.umask(conf).toShort());
    conf.set(FsPermission.UMASK_LABEL, "u=rwx,g=rx,o=");
    assertEquals(FsPermission.getUMask(conf), cache.umask(conf));
    assertEquals((short) 027, cache.umask(conf).toShort());
    conf.unset(FsPermission.UMASK_LABEL);
    assertEquals((short) 022, cache.umask(conf).toShort());
  }

  @Test
  void anUnchangedSettingIsParsedOnce() {
    Configuration conf = new Configuration(false);
    conf.set(FsPermission.UMASK_LABEL, "002");
    UmaskCache cache = new UmaskCache();
    assertSame(cache.umask(conf), cache.umask(conf));
  }

  @Test
  void aBadSettingFailsEveryTimeAsFsPermissionDoes() {
    Configuration conf = new Configuration(false);
    conf.set(FsPermission.UMASK_LABEL, "not a umask");
    UmaskCache cache = new UmaskCache();
    assertThrows(IllegalArgumentException.class, () -> cache.umask(conf));
    assertThrows(IllegalArgumentException.class, () -> cache.umask(conf));
  }
}
