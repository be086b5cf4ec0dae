package io.gfs.dist.fs.contract;

import java.security.PrivilegedExceptionAction;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSMainOperationsBaseTest;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.security.UserGroupInformation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hadoop's FSMainOperationsBaseTest (globs, listings, renames with options, unreadable directories, ...) against gfs.
 * Like HDFS's own run of it (TestFSMainOperationsWebHdfs), the suite runs as a user who is not the superuser, in a
 * test root the superuser made world-writable, so the master's permission checks (issue 7) apply: a directory with
 * permission 0 cannot be listed.
 */
class GfsMainOperationsIT extends FSMainOperationsBaseTest {
  @RegisterExtension
  static final GfsContractCluster CLUSTER = new GfsContractCluster();

  private static final String TEST_ROOT = "/test-main-operations";
  /** Not the master's OS user and not in its supergroup. */
  private static final UserGroupInformation USER = UserGroupInformation.createUserForTesting("gfs-contract-user",
      new String[] {"gfs-contract-users"});

  GfsMainOperationsIT() {
    super(TEST_ROOT);
  }

  @Override
  protected FileSystem createFileSystem() throws Exception {
    FileSystem superuser = CLUSTER.fileSystem(new Configuration());
    superuser.mkdirs(new Path(TEST_ROOT));
    superuser.setPermission(new Path(TEST_ROOT), new FsPermission((short) 0777));
    return USER.doAs((PrivilegedExceptionAction<FileSystem>) () -> CLUSTER.fileSystem(new Configuration()));
  }

  @Override
  @BeforeEach
  public void setUp() throws Exception {
    fSys = createFileSystem();
    super.setUp();
  }
}
