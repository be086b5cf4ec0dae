package io.gfs.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.PrivilegedExceptionAction;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.security.AccessControlException;
import org.apache.hadoop.security.UserGroupInformation;
import org.junit.jupiter.api.Test;

/**
 * Issue 7: HDFS-style permissions, enforced by a real master for the users two Hadoop UGIs name, through
 * GfsFileSystem. The test's own user is the master's OS user, hence its superuser (as HDFS's MiniDFSCluster user is).
 */
class PermissionsIT {
  private static final UserGroupInformation ALICE = UserGroupInformation.createUserForTesting("alice",
      new String[] {"staff"});
  private static final UserGroupInformation BOB = UserGroupInformation.createUserForTesting("bob",
      new String[] {"bob"});

  private static FileSystem as(UserGroupInformation user, MiniGfsCluster cluster, Configuration conf)
      throws Exception {
    return user.doAs((PrivilegedExceptionAction<FileSystem>) () -> FileSystem.newInstance(cluster.uri(), conf));
  }

  private static void write(FileSystem fs, Path path, byte[] data) throws Exception {
    try (FSDataOutputStream out = fs.create(path)) {
      out.write(data);
    }
  }

  private static byte[] read(FileSystem fs, Path path, int length) throws Exception {
    byte[] out = new byte[length];
    try (FSDataInputStream in = fs.open(path)) {
      in.readFully(0, out);
    }
    return out;
  }

  @Test
  void twoUsersMeetOwnerGroupModeStickyAndSuperuserRules() throws Exception {
    try (MiniGfsCluster cluster = MiniGfsCluster.builder(TestData.clusterDir("permissions")).chunkServers(1)
            .chunkSizeBytes(1 << 20).build();
        FileSystem admin = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration());
        FileSystem alice = as(ALICE, cluster, cluster.clientConfiguration());
        FileSystem bob = as(BOB, cluster, cluster.clientConfiguration())) {
      Path home = new Path("/user/alice");
      admin.mkdirs(home);
      admin.setOwner(home, "alice", "staff");
      Path tmp = new Path("/tmp");
      admin.mkdirs(tmp);
      admin.setPermission(tmp, new FsPermission((short) 01777));

      // alice writes in her home; the file is hers, its group the directory's (HDFS's rule).
      byte[] data = new byte[100_000];
      TestData.fill(7, 0, data, 0, data.length);
      Path secret = new Path(home, "secret");
      write(alice, secret, data);
      alice.setPermission(secret, new FsPermission((short) 0600));
      FileStatus status = admin.getFileStatus(secret);
      assertEquals("alice", status.getOwner());
      assertEquals("staff", status.getGroup());
      assertArrayEquals(data, read(alice, secret, data.length));

      // bob: may look (traverse), may not read, create, delete, rename or chmod there.
      assertEquals(data.length, bob.getFileStatus(secret).getLen());
      assertThrows(AccessControlException.class, () -> read(bob, secret, data.length));
      assertThrows(AccessControlException.class, () -> write(bob, new Path(home, "intruder"), data));
      assertThrows(AccessControlException.class, () -> bob.delete(secret, false));
      assertThrows(AccessControlException.class, () -> bob.rename(secret, new Path(tmp, "stolen")));
      assertThrows(AccessControlException.class, () -> bob.setPermission(secret, new FsPermission((short) 0777)));
      assertTrue(admin.exists(secret));

      // alice closes her home: bob cannot even traverse it now.
      alice.setPermission(home, new FsPermission((short) 0700));
      assertThrows(AccessControlException.class, () -> bob.getFileStatus(secret));
      assertThrows(AccessControlException.class, () -> bob.listStatus(home));
      assertEquals(1, alice.listStatus(home).length);

      // chown is the superuser's; chgrp only to a group of one's own.
      assertThrows(AccessControlException.class, () -> alice.setOwner(secret, "bob", null));
      assertThrows(AccessControlException.class, () -> alice.setOwner(secret, null, "bob"));
      admin.setOwner(secret, "bob", "bob");
      assertEquals("bob", admin.getFileStatus(secret).getOwner());

      // /tmp is sticky: world-writable, yet alice cannot remove bob's file; bob can.
      Path bobs = new Path(tmp, "bobs");
      write(bob, bobs, data);
      assertThrows(AccessControlException.class, () -> alice.delete(bobs, false));
      assertThrows(AccessControlException.class, () -> alice.rename(bobs, new Path(tmp, "mine")));
      assertTrue(bob.delete(bobs, false));
      assertFalse(admin.exists(bobs));
    }
  }

  @Test
  void theConnectorAppliesTheConfiguredUmaskAsHadoopDoes() throws Exception {
    try (MiniGfsCluster cluster = MiniGfsCluster.builder(TestData.clusterDir("permissions-umask")).chunkServers(1)
            .chunkSizeBytes(1 << 20).build();
        FileSystem admin = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration())) {
      admin.mkdirs(new Path("/user/alice"));
      admin.setOwner(new Path("/user/alice"), "alice", "staff");
      Configuration strict = cluster.clientConfiguration();
      strict.set("fs.permissions.umask-mode", "077");
      try (FileSystem alice = as(ALICE, cluster, strict)) {
        Path dir = new Path("/user/alice/private");
        alice.mkdirs(dir);
        write(alice, new Path(dir, "f"), new byte[10]);
        assertEquals((short) 0700, admin.getFileStatus(dir).getPermission().toShort());
        assertEquals((short) 0600, admin.getFileStatus(new Path(dir, "f")).getPermission().toShort());
      }
      try (FileSystem alice = as(ALICE, cluster, cluster.clientConfiguration())) { // Hadoop's default umask 022
        Path dir = new Path("/user/alice/shared");
        alice.mkdirs(dir);
        write(alice, new Path(dir, "f"), new byte[10]);
        assertEquals((short) 0755, admin.getFileStatus(dir).getPermission().toShort());
        assertEquals((short) 0644, admin.getFileStatus(new Path(dir, "f")).getPermission().toShort());
      }
    }
  }
}
