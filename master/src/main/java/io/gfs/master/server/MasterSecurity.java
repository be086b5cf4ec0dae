package io.gfs.master.server;

import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.security.AccessKey;
import io.gfs.common.security.AccessKeySchedule;
import io.gfs.common.security.AccessMode;
import io.gfs.common.security.Caller;
import io.gfs.common.security.CallerEnvelope;
import io.gfs.master.state.MasterState;
import io.gfs.master.state.NamespaceAccess;
import io.gfs.master.state.PermissionChecker;
import io.gfs.thrift.gen.ChunkLease;
import io.gfs.thrift.gen.ChunkLocation;
import io.gfs.thrift.gen.ChunkLocations;
import io.gfs.thrift.gen.ListingEntry;
import io.gfs.thrift.gen.ListingPage;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The master's half of issue 7: who the current call acts for (the caller its client sent, else the master's own
 * user), the permission check of each namespace operation ({@link NamespaceAccess}, run by the handler under the
 * operation's path locks), and chunk access tokens: READ tokens in every chunk location, WRITE tokens in leases,
 * MASTER tokens on the master's own orders to chunkservers, and the keys chunkservers verify them with, published in
 * heartbeat replies. Keys rotate lazily: the first token or heartbeat after a rotation interval switches to the next
 * key (heartbeats come every second, so rotation is on time). Keys are not logged: a new master (restart or failover)
 * makes its own at once, and chunkservers keep the old master's until they expire, so tokens it issued stay valid.
 */
final class MasterSecurity {
  /** The user name in MASTER tokens (audit only). */
  static final String MASTER_TOKEN_USER = "gfs-master";

  /** Before the server sets one up: no checks, no tokens (handlers built without a server, e.g. in tests). */
  static final MasterSecurity NONE = new MasterSecurity(null, null, InstantSource.system());

  private final NamespaceAccess access;
  private final AccessKeySchedule keys; // null: tokens off
  private final InstantSource clock;

  MasterSecurity(NamespaceAccess access, AccessKeySchedule keys, InstantSource clock) {
    this.access = access;
    this.keys = keys;
    this.clock = clock;
  }

  /**
   * From gfs.master.permissions.* and gfs.access.tokens.* / gfs.master.access.*; the superuser is the master's own OS
   * user (as HDFS's is the NameNode's).
   */
  static MasterSecurity from(GfsConfig config, MasterState state, InstantSource clock) {
    PermissionChecker checker = new PermissionChecker(new PermissionChecker.Settings(
        config.getBoolean(GfsConfigKeys.Master.PERMISSIONS_ENABLED), System.getProperty("user.name", "gfs"),
        config.getString(GfsConfigKeys.Master.PERMISSIONS_SUPERGROUP)));
    AccessKeySchedule keys = null;
    if (config.getBoolean(GfsConfigKeys.Cluster.ACCESS_TOKENS_ENABLED)) {
      keys = new AccessKeySchedule(
          config.getMillis(GfsConfigKeys.Master.ACCESS_KEY_ROTATION_MS, 1000, 604_800_000L),
          config.getMillis(GfsConfigKeys.Master.ACCESS_TOKEN_LIFETIME_MS, 1000, 86_400_000L),
          new SecureRandom(), clock.millis());
    }
    return new MasterSecurity(new NamespaceAccess(state, checker), keys, clock);
  }

  /** The checks for the call this thread serves. */
  NamespaceAccess access() {
    return access;
  }

  /** Who the call this thread serves acts for. */
  Caller caller() {
    return CallerEnvelope.current().orElseGet(() -> access.checker().masterUser());
  }

  /** A new node's owner: the one asked for, else the caller's user (as HDFS makes the creator the owner). */
  String ownerOr(String owner) {
    return owner != null ? owner : CallerEnvelope.current().map(Caller::user).orElse(null);
  }

  ChunkLocations withReadTokens(ChunkLocations locations) {
    if (keys != null && locations.isSetChunks()) {
      locations.getChunks().forEach(this::readToken);
    }
    return locations;
  }

  ListingPage withReadTokens(ListingPage page) {
    if (keys != null) {
      for (ListingEntry entry : page.getEntries()) {
        if (entry.isSetChunks()) {
          entry.getChunks().forEach(this::readToken);
        }
      }
    }
    return page;
  }

  /** A lease's token allows writing (and reading) its chunk. */
  ChunkLease withWriteToken(ChunkLease lease) {
    if (keys != null) {
      lease.setAccessToken(issue(caller().user(), AccessMode.WRITE, lease.getHandle()));
    }
    return lease;
  }

  /** The token on the master's own orders (assignVersion, copyChunkFrom, copyChunkLocal); null with tokens off. */
  ByteBuffer masterToken(long... handles) {
    return keys == null ? null : ByteBuffer.wrap(issue(MASTER_TOKEN_USER, AccessMode.MASTER, handles));
  }

  /** The keys every chunkserver needs now (retired ones still valid, current, next); empty with tokens off. */
  List<io.gfs.thrift.gen.AccessKey> publishedKeys() {
    List<io.gfs.thrift.gen.AccessKey> out = new ArrayList<>();
    if (keys != null) {
      long now = clock.millis();
      keys.rotateIfDue(now);
      for (AccessKey key : keys.published(now)) {
        out.add(new io.gfs.thrift.gen.AccessKey(key.keyId(), ByteBuffer.wrap(key.secret()), key.expiresMillis()));
      }
    }
    return out;
  }

  boolean tokensEnabled() {
    return keys != null;
  }

  private void readToken(ChunkLocation chunk) {
    chunk.setAccessToken(issue(caller().user(), AccessMode.READ, chunk.getHandle()));
  }

  private byte[] issue(String user, AccessMode mode, long... handles) {
    long now = clock.millis();
    keys.rotateIfDue(now);
    return keys.issue(user, mode, now, handles);
  }
}
