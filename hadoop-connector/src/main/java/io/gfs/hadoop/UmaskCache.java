package io.gfs.hadoop;

import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * The configured umask (fs.permissions.umask-mode), parsed once per distinct value. FsPermission.getUMask parses the
 * setting with regexes on every call, a third of the client's CPU for a mkdirs (issue 6). The setting is still read
 * from the configuration on every call, so a umask changed after the file system was opened applies at once (as
 * FileSystemContractBaseTest.testMkdirsWithUmask expects).
 */
final class UmaskCache {
  private record Parsed(String setting, FsPermission umask) {}

  private volatile Parsed last;

  /** The umask conf says now. */
  FsPermission umask(Configuration conf) {
    String setting = conf.get(FsPermission.UMASK_LABEL);
    Parsed parsed = last;
    if (parsed != null && Objects.equals(parsed.setting(), setting)) {
      return parsed.umask();
    }
    FsPermission umask = FsPermission.getUMask(conf);
    if (Objects.equals(setting, conf.get(FsPermission.UMASK_LABEL))) {
      last = new Parsed(setting, umask); // kept only when the setting did not change while it was parsed
    }
    return umask;
  }
}
