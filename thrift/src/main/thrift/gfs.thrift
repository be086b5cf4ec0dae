// gfs wire protocol. Regenerate the Java with thrift/generate.sh after any change here.
// Paragraph numbers like [0104] refer to ../shared/seed/record-append-patent.txt.

namespace java io.gfs.thrift.gen

/** Every error a server reports. The client maps these to java.io exceptions in one place (GfsErrors). */
enum ErrorCode {
  NOT_FOUND = 1,
  ALREADY_EXISTS = 2,
  PARENT_NOT_DIRECTORY = 3,
  DIRECTORY_NOT_EMPTY = 4,
  INVALID_PATH = 5,
  IS_DIRECTORY = 6,
  NOT_DIRECTORY = 7,
  INVALID_ARGUMENT = 8,
  /** The chunkserver is not (or no longer) the primary for this chunk: ask the master again. */
  NOT_PRIMARY = 9,
  /** The replica's chunk version differs from the caller's: the replica missed mutations or the caller is behind. */
  STALE_VERSION = 10,
  LEASE_EXPIRED = 11,
  /** The record did not fit; every replica was padded to the chunk size. Retry on the next chunk [0105]. */
  CHUNK_FULL = 12,
  RECORD_TOO_LARGE = 13,
  CHECKSUM_MISMATCH = 14,
  UNKNOWN_CHUNK = 15,
  /** The pushed data for this data id is not (or no longer) in the chunkserver's buffer: push again. */
  DATA_NOT_FOUND = 16,
  OUT_OF_RANGE = 17,
  NO_CHUNKSERVERS = 18,
  NOT_MASTER = 19,
  READ_ONLY_SHADOW = 20,
  /** A server-side limit (push buffer, queue) is full right now: retry with backoff. */
  BUSY = 21,
  IO_ERROR = 22,
  INTERNAL = 23,
  /**
   * The instruction comes from a master of an older term (epoch) than one this server already obeyed: that master lost
   * the election and must not change anything (fencing, issue 4).
   */
  STALE_EPOCH = 24,
  /** The caller may not do this to this path (HDFS's AccessControlException): owner, group and mode bits said no. */
  PERMISSION_DENIED = 25,
  /**
   * A chunkserver call without a valid chunk access token: missing, forged, signed by a key this chunkserver does not
   * know (yet), expired, or for another chunk or access mode. The client asks the master again for a fresh one.
   */
  INVALID_TOKEN = 26,
  /** The master is in safe mode (an operator's 'gfs admin safemode enter'): it refuses mutations until it leaves. */
  SAFE_MODE = 27,
}

exception GfsException {
  1: required ErrorCode code,
  2: required string message,
  /** For example the current master's address with NOT_MASTER. */
  3: optional string hint,
}

/**
 * Who calls the master (simple authentication, as HDFS without Kerberos): the client's short user name and groups, from
 * Hadoop's UserGroupInformation. The master trusts it. It travels outside every method's arguments, as the extra field
 * io.gfs.common.security.CallerEnvelope.FIELD_ID of each MasterService call's argument struct, which a peer that does
 * not know it skips (Thrift's rule for unknown fields); a call without it acts as the master's own user.
 */
struct CallerIdentity {
  1: required string user,
  2: required list<string> groups,
}

/**
 * A secret the master signs chunk access tokens with (HMAC-SHA256); chunkservers get the current and next ones in
 * heartbeat replies and verify tokens with them. expiresMillis is on the master's clock: after it no token signed with
 * this key is valid any more, so a chunkserver may forget it.
 */
struct AccessKey {
  1: required i64 keyId,
  2: required binary secret,
  3: required i64 expiresMillis,
}

struct ServerAddress {
  1: required string host,
  2: required i32 port,
}

struct FileInfo {
  1: required string path,
  2: required bool directory,
  3: required i64 lengthBytes,
  4: required i32 replication,
  5: required i64 chunkSizeBytes,
  6: required i64 modificationTimeMillis,
  7: required i64 chunkCount,
  /** Owner, group and permission as stored, enforced by the master (issue 7). Always set by the master. */
  8: optional string owner,
  9: optional string group,
  /** POSIX permission bits without the file type, e.g. 0644 (decimal 420). */
  10: optional i16 permission,
  11: optional i64 accessTimeMillis,
}

struct ChunkLocation {
  1: required i64 chunkIndex,
  2: required i64 handle,
  3: required i64 version,
  /** Byte length known to the master (from heartbeats and client reports); may lag the replicas. */
  4: required i64 lengthBytes,
  5: required list<ServerAddress> replicas,
  /** Signed, expiring READ access token for this chunk (io.gfs.common.security.AccessToken); pass it to read. */
  6: optional binary accessToken,
}

/** Answer to findChunks: the file's length and the chunks asked for plus the ones after them [0088, 0091]. */
struct ChunkLocations {
  1: required FileInfo file,
  2: required list<ChunkLocation> chunks,
}

/** A lease as the client sees it: who orders mutations for the chunk, who follows, and for how long [0092-0096]. */
struct ChunkLease {
  1: required i64 chunkIndex,
  2: required i64 handle,
  3: required i64 version,
  4: required ServerAddress primary,
  5: required list<ServerAddress> secondaries,
  /** How long from the master's reply the client may cache this lease. */
  6: required i64 leaseRemainingMillis,
  7: required i64 chunkSizeBytes,
  /** Signed, expiring WRITE (and READ) access token for this chunk: pass it to pushData, write and recordAppend. */
  8: optional binary accessToken,
}

struct ChunkReport {
  1: required i64 handle,
  2: required i64 version,
  3: required i64 lengthBytes,
}

struct HeartbeatRequest {
  1: required string serverId,
  2: required ServerAddress address,
  3: required i64 capacityBytes,
  4: required i64 usedBytes,
  /** Every chunk the chunkserver holds [0048]. */
  5: required list<ChunkReport> chunks,
  /** Chunks this server is primary for and has mutated recently: the master extends these leases [0093]. */
  6: required list<i64> leaseExtensionRequests,
  /** Chunks whose checksums failed verification since the last heartbeat [0127]. */
  7: required list<i64> corruptChunks,
  8: optional string rack,
  /** host:port of this chunkserver's status pages and /metrics (issue 8); unset when they are off. */
  9: optional string httpAddress,
}

struct LeaseExtension {
  1: required i64 handle,
  2: required i64 version,
  3: required i64 leaseDurationMillis,
}

struct HeartbeatReply {
  /** Chunks the chunkserver must delete: unknown to the master, or of a stale version [0076]. */
  1: required list<i64> deleteChunks,
  2: required list<LeaseExtension> leaseExtensions,
  3: required i64 heartbeatIntervalMillis,
  /**
   * The term of the master that answered (fencing): a chunkserver that has seen a higher one ignores this reply's
   * deletes and lease extensions. Unset (0) from a master without ZooKeeper election.
   */
  4: optional i64 epoch,
  /** The access keys tokens are signed with now and next (issue 7); a chunkserver keeps each until it expires. */
  5: optional list<AccessKey> accessKeys,
}

struct ChunkServerStatus {
  1: required string serverId,
  2: required ServerAddress address,
  3: required string rack,
  4: required i64 capacityBytes,
  5: required i64 usedBytes,
  6: required i64 chunkCount,
  7: required i64 lastHeartbeatAgeMillis,
  /** "in-service", "decommissioning" or "decommissioned" (issue 8); unset from older masters. */
  8: optional string state,
  /** host:port of the chunkserver's status pages and /metrics, as it registered them (issue 8). */
  9: optional string httpAddress,
}

struct ClusterStatus {
  1: required string clusterName,
  2: required list<ChunkServerStatus> chunkServers,
  3: required i64 fileCount,
  4: required i64 directoryCount,
  5: required i64 chunkCount,
  6: required i64 lastLogSequence,
  /** Chunks with fewer live, current, uncorrupted replicas than their file's replication [0069]. */
  7: optional i64 underReplicatedChunks,
  /** Re-replication clones running now. */
  8: optional i64 clonesInFlight,
  /** "active" or "shadow" (issue 4); unset from older masters. */
  9: optional string role,
  /**
   * A shadow's lag behind the active master [0123]: milliseconds from the active master sending the last batch this
   * shadow applied to now, measured when that batch arrived (both clocks; NTP-level skew applies).
   */
  10: optional i64 logLagMillis,
  /** Chunks with at least one replica reported corrupt [0127] (issue 8). */
  11: optional i64 corruptChunks,
  /** Chunks with no live current replica: unreadable until a chunkserver holding one comes back. */
  12: optional i64 missingChunks,
  13: optional bool safeMode,
  14: optional bool balancerEnabled,
  /** host:port of this master's status pages and /metrics (issue 8); unset when they are off. */
  15: optional string httpAddress,
}

/** What getContentSummary counts under a path, the path itself included (HDFS's ContentSummary). */
struct ContentSummary {
  1: required i64 lengthBytes,
  2: required i64 fileCount,
  3: required i64 directoryCount,
  /** Each file's length times its replication. */
  4: required i64 spaceConsumedBytes,
}

/** One entry of a listing page; chunks (with their replicas) only when asked for, and only for files. */
struct ListingEntry {
  1: required FileInfo file,
  2: optional list<ChunkLocation> chunks,
}

/** A page of a directory listing, entries in name order. */
struct ListingPage {
  1: required list<ListingEntry> entries,
  /** More entries follow: ask again with startAfter = the last entry's name. */
  2: required bool hasMore,
}

/**
 * A chunkserver's chunk report to a shadow master (issue 4, [0123]): the shadow learns replica locations, versions and
 * lengths from it and nothing else; it never answers with an order. full=true lists every chunk the server holds
 * (uncorrupted) and replaces what the shadow knew of it; otherwise chunks are those added or changed (version or
 * length) and removedChunks those gone since the report the shadow acknowledged as baseSequence in the run named
 * shadowIncarnation. The shadow applies a delta only on that exact base, else it asks for a full report.
 */
struct ShadowReport {
  1: required string serverId,
  2: required ServerAddress address,
  3: required i64 capacityBytes,
  4: required i64 usedBytes,
  5: required bool full,
  6: required i64 shadowIncarnation,
  7: required i64 baseSequence,
  8: required list<ChunkReport> chunks,
  9: required list<i64> removedChunks,
  10: optional string rack,
}

/** A shadow's answer to a ShadowReport: bookkeeping only, never an order. */
struct ShadowReportReply {
  /** This run of the shadow (random per start): when it changes, the chunkserver sends a full report. */
  1: required i64 shadowIncarnation,
  /** The sequence the report was applied as (the next delta's baseSequence); -1: not applied, send a full report. */
  2: required i64 sequence,
  /** Chunks the shadow could not place yet (its log has not reached their creation): report them again. */
  3: required list<i64> unplacedChunks,
  /**
   * The keys this shadow signs READ tokens with (issue 7). A chunkserver accepts tokens signed with them for reads
   * only, whatever mode bits they carry: a shadow can never grant writes or master orders.
   */
  4: optional list<AccessKey> readKeys,
}

/** One term in a log's epoch table: the records from firstSequence on were written in epoch (until the next entry). */
struct LogEpoch {
  1: required i64 epoch,
  2: required i64 firstSequence,
}

/**
 * Master-to-master op log replication (issue 4, [0121]): the active master ships each flushed batch of log records,
 * in sequence order, to the replicas gfs.master.log.replicas names. frames are the records exactly as the op log
 * stores them ([length][crc32c][payload]); the replica verifies, logs (fsync) and applies them before it answers.
 */
struct LogBatch {
  /** The sender's term; a replica that has seen a higher one answers STALE_EPOCH. */
  1: required i64 epoch,
  2: required i64 firstSequence,
  3: required list<binary> frames,
  /** The sender's clock when it shipped the batch: shadows measure their lag with it. */
  4: optional i64 sentMillis,
  /**
   * The epoch of the sender's record at firstSequence - 1 (0: none, or written before epochs were tracked). A replica
   * holding that position in another epoch has diverged: Raft's consistency check.
   */
  5: optional i64 prevEpoch,
  /** The sender's whole epoch table, sent until a replica answered once: lets a diverged replica find the common point. */
  6: optional list<LogEpoch> epochs,
}

struct LogAck {
  /** The replica's last durable sequence after the call: below the batch's last when it has a gap (catch up). */
  1: required i64 lastSequence,
  /** The highest epoch the replica has seen. */
  2: required i64 epoch,
  /** The epoch of the replica's last durable record (0 before any new-term record): the election compares it first. */
  3: optional i64 lastEpoch,
}

/**
 * A directory's replication and reclamation policy [0069, 0084, 0120] (getPolicy of a file answers its directory's):
 * its own settings (-1 = inherited from the parent) and the effective ones after inheritance and the master's defaults.
 */
struct DirectoryPolicy {
  1: required string path,
  2: required i32 replication,
  3: required i64 gcRetentionMillis,
  4: required i32 effectiveReplication,
  5: required i64 effectiveGcRetentionMillis,
}

/** What an admin call does with a master switch (issue 8): report it, turn it on (enter, start), or off. */
enum AdminAction {
  GET = 1,
  START = 2,
  STOP = 3,
}

struct SafeModeStatus {
  1: required bool on,
  2: required string reason,
}

/** The balancer [0073-0074]: its switch, the utilisation spread (fullest minus emptiest chunkserver) and its moves. */
struct BalancerStatus {
  1: required bool enabled,
  2: required double utilizationSpread,
  3: required double threshold,
  4: required i64 movesInFlight,
  /** Spread within the threshold and no move running. */
  5: required bool balanced,
}

/**
 * A chunkserver's decommission: state "in-service", "decommissioning" or "decommissioned" (every chunk it holds has its
 * target replication on other in-service servers, so it can be stopped); chunksRemaining are still short without it.
 */
struct DecommissionStatus {
  1: required string serverId,
  2: required ServerAddress address,
  3: required string state,
  4: required bool live,
  5: required i64 chunkCount,
  6: required i64 chunksRemaining,
}

service MasterService {
  /** Live chunkservers and namespace totals, for operators and for test clusters waiting on registration. */
  ClusterStatus getClusterStatus() throws (1: GfsException e),
  /** Master to master: one replicated batch of the op log (see LogBatch). NOT_MASTER from a master that is not a replica. */
  LogAck replicateLog(1: LogBatch batch) throws (1: GfsException e),
  FileInfo getFileInfo(1: string path) throws (1: GfsException e),
  list<FileInfo> listStatus(1: string path) throws (1: GfsException e),
  /**
   * Creates the directory and any missing parents; true when it now exists as a directory. An absent (null) owner is
   * the caller (issue 7), an absent group the parent directory's; permission absent or negative means 0755. The
   * client applies its umask first. Missing parents created on the way are made as HDFS makes them: the same owner,
   * their own parent's group, the same bits plus owner write and execute.
   */
  bool mkdirs(1: string path, 2: optional string owner, 3: optional string group, 4: optional i16 permission)
      throws (1: GfsException e),
  /**
   * An absent (null) owner is the caller (issue 7), an absent group the parent directory's (as HDFS does); permission
   * absent or negative means 0644. The client applies its umask first. Missing parents (createParent) belong to the
   * file's owner, with its group and 0755.
   */
  FileInfo create(1: string path, 2: bool overwrite, 3: bool createParent, 4: i32 replication,
                  5: optional string owner, 6: optional string group, 7: optional i16 permission)
      throws (1: GfsException e),
  /**
   * false when the path does not exist; DIRECTORY_NOT_EMPTY for a non-empty directory without recursive. The entry is
   * renamed to a hidden name holding the deletion time [0075]: listings no longer show it and its name is free, it can
   * be undeleted until gfs.master.gc.retention.ms has passed, then the namespace scan purges it and its chunks become
   * garbage. Removing a hidden (deleted) entry by its hidden path purges it at once.
   */
  bool remove(1: string path, 2: bool recursive) throws (1: GfsException e),
  /**
   * Brings back the most recently deleted file or directory that was at path (not yet purged); false when there is
   * none. ALREADY_EXISTS when something is at path now.
   */
  bool undelete(1: string path) throws (1: GfsException e),
  /**
   * The deleted, not yet purged entries directly in a directory, newest deletion first, under their hidden paths
   * (getFileInfo, findChunks and remove accept those; the deletion time is the modification time).
   */
  list<FileInfo> listDeleted(1: string directory) throws (1: GfsException e),
  /** Renames a file or directory atomically. The destination must not exist and its parent must. */
  void rename(1: string source, 2: string destination) throws (1: GfsException e),
  /**
   * Hadoop FileSystem.rename in one call (issue 6), with HDFS's answers: false, not an error, when the source is
   * missing, the destination is an existing file, its parent is missing or a file, or it lies inside the source; an
   * existing directory as destination receives the source under its own name; true when renamed (or a file onto
   * itself). Masters without it answer UNKNOWN_METHOD (clients then apply the rules around rename).
   */
  bool renameHadoop(1: string source, 2: string destination) throws (1: GfsException e),
  /** The chunks from firstChunkIndex on, at most chunkCountMax of them, with their replicas. */
  ChunkLocations findChunks(1: string path, 2: i64 firstChunkIndex, 3: i32 chunkCountMax) throws (1: GfsException e),
  /**
   * The lease for a chunk of the file, granting one if none is held [0092]. chunkIndex equal to the file's chunk
   * count allocates the next chunk; -1 means the last chunk (allocating chunk 0 of an empty file), for record append.
   */
  ChunkLease acquireLease(1: string path, 2: i64 chunkIndex) throws (1: GfsException e),
  /** A writer tells the master how long a chunk is now (on hflush and close), so lengths are exact at once. */
  void reportChunkLength(1: string path, 2: i64 chunkIndex, 3: i64 handle, 4: i64 lengthBytes) throws (1: GfsException e),
  /**
   * A primary's report of its chunk's length after a group of record appends it ordered (issue 6): one call per group,
   * before the group's replies, instead of one reportChunkLength per record from each appender, so a reader that opens
   * the file after an append returned still sees the record. Accepted only from a current replica of the chunk:
   * UNKNOWN_CHUNK when the master has no such chunk, PERMISSION_DENIED when serverId holds no replica of it (or a
   * corrupt one), STALE_VERSION when version is not the chunk's current one; INVALID_ARGUMENT for a length outside
   * [0, chunk size]. A known length never shrinks. Masters without it answer UNKNOWN_METHOD (the appenders report).
   */
  void reportReplicaLength(1: string serverId, 2: i64 handle, 3: i64 version, 4: i64 lengthBytes)
      throws (1: GfsException e),
  HeartbeatReply heartbeat(1: HeartbeatRequest request) throws (1: GfsException e),
  /** Stores the permission bits (0 to 07777) of a file or directory; INVALID_ARGUMENT outside that range. */
  void setPermission(1: string path, 2: i16 permission) throws (1: GfsException e),
  /** Stores the owner and/or group; an absent (null) one is left unchanged, an empty one is INVALID_ARGUMENT. */
  void setOwner(1: string path, 2: optional string owner, 3: optional string group) throws (1: GfsException e),
  /** Sets the times; -1 leaves that time unchanged, any other negative value is INVALID_ARGUMENT. */
  void setTimes(1: string path, 2: i64 modificationTimeMillis, 3: i64 accessTimeMillis) throws (1: GfsException e),
  /**
   * Records a file's target replication (1 to 32; re-replication toward it is background work); false for a
   * directory, NOT_FOUND when absent.
   */
  bool setReplication(1: string path, 2: i32 replication) throws (1: GfsException e),
  ContentSummary getContentSummary(1: string path) throws (1: GfsException e),
  /**
   * One page of a listing in name order: the entries after startAfter (the last name already received, or its full
   * path; "" for the first page), at most entriesMax of them (capped by the master at 1000). Listing a file returns
   * that file. withLocations fills each file's chunks with their replicas, so a located listing costs one call per
   * page, not per file.
   */
  ListingPage listStatusPage(1: string path, 2: string startAfter, 3: i32 entriesMax, 4: bool withLocations)
      throws (1: GfsException e),
  /**
   * HDFS concat: appends the sources' chunks to target and removes the sources, moving metadata only (no data is
   * copied). Sources and target are distinct files in one directory; every chunk of target and of the sources except
   * the last source's last chunk must be full (chunk size long). Otherwise INVALID_ARGUMENT with the reason.
   */
  void concat(1: string target, 2: list<string> sources) throws (1: GfsException e),
  /**
   * Snapshot [0113-0116] of a directory tree or a file, HDFS style: read-only under <path>/.snapshot/<snapshotName>/...
   * (every read call accepts such paths; every mutation there is INVALID_PATH). Leases on its chunks are revoked first
   * (the call may wait up to one lease duration for an unreachable primary); chunks are shared, and the first write to
   * a shared chunk copies it locally on its chunkservers. ALREADY_EXISTS for a taken name; INVALID_ARGUMENT for a bad
   * name (empty, with "/", or starting with ".").
   */
  void createSnapshot(1: string path, 2: string snapshotName) throws (1: GfsException e),
  /** Removes the snapshot at once (no lazy GC); chunks no file or snapshot refers to any more become garbage. */
  void deleteSnapshot(1: string path, 2: string snapshotName) throws (1: GfsException e),
  void renameSnapshot(1: string path, 2: string oldName, 3: string newName) throws (1: GfsException e),
  /** The snapshot names of path, in name order. */
  list<string> listSnapshots(1: string path) throws (1: GfsException e),
  /**
   * Sets a directory's policy, inherited below it: replication for new files created without one (1..32, -1 =
   * inherit), and how long deletes below stay undeletable (0 = purged at once, e.g. a temp directory; -1 = inherit).
   * NOT_DIRECTORY for a file; INVALID_ARGUMENT for other values.
   */
  void setPolicy(1: string path, 2: i32 replication, 3: i64 gcRetentionMillis) throws (1: GfsException e),
  DirectoryPolicy getPolicy(1: string path) throws (1: GfsException e),
  /** Safe mode (issue 8): GET reports it, START enters it (mutations refused with SAFE_MODE), STOP leaves it. */
  SafeModeStatus safeMode(1: AdminAction action) throws (1: GfsException e),
  /** The balancer's switch: START lets it move replicas toward even utilisation, STOP halts new moves. */
  BalancerStatus balancer(1: AdminAction action) throws (1: GfsException e),
  /**
   * Decommission of the chunkserver named by server id or host:port: START drains it (no new replicas, its chunks are
   * re-replicated elsewhere while it still serves reads), STOP puts it back in service, GET reports progress.
   * NOT_FOUND for an unknown server. Not persisted: a restarted master forgets drains.
   */
  DecommissionStatus decommission(1: string server, 2: AdminAction action) throws (1: GfsException e),
  /**
   * Chunkserver to shadow master (issue 4, [0123]): see ShadowReport. NOT_MASTER from a master that is not a shadow
   * (the active master learns locations from heartbeats).
   */
  ShadowReportReply reportToShadow(1: ShadowReport report) throws (1: GfsException e),
}

enum MutationKind {
  WRITE = 1,
  RECORD_APPEND = 2,
  PAD = 3,
}

/** A mutation the primary has ordered, as the secondaries apply it [0101-0102]. */
struct Mutation {
  1: required i64 handle,
  2: required i64 version,
  3: required i64 serialNumber,
  4: required MutationKind kind,
  5: required i64 offsetBytes,
  6: required i64 dataId,
  7: required i32 lengthBytes,
  8: required bool sync,
  /** The client's WRITE token for handle, forwarded by the primary: the secondary verifies it too. */
  9: optional binary accessToken,
  /**
   * The record itself, when its client sent it with the record append request [0112] rather than pushing it: the
   * secondary takes it from here instead of its push buffer (dataId only names it), after checking crc32c.
   */
  10: optional binary data,
  11: optional i32 crc32c,
}

/**
 * What a secondary did with a group of mutations of one chunk (applyMutations): the first appliedCount of them are
 * applied here (by this call, or already by an earlier one); failure is why the next one was not, and no later one was
 * tried. Unset failure: every one is applied.
 */
struct MutationGroupOutcome {
  1: required i32 appliedCount,
  2: optional GfsException failure,
}

struct WriteRequest {
  1: required i64 handle,
  2: required i64 version,
  3: required i64 offsetBytes,
  4: required i64 dataId,
  5: required i32 lengthBytes,
  6: required list<ServerAddress> secondaries,
  /** fsync on every replica before replying (hsync and close). */
  7: required bool sync,
  /** WRITE access token for handle (from the lease). */
  8: optional binary accessToken,
}

struct RecordAppendRequest {
  1: required i64 handle,
  2: required i64 version,
  3: required i64 dataId,
  4: required i32 lengthBytes,
  5: required list<ServerAddress> secondaries,
  6: required bool sync,
  /** The chunk size the master uses; the primary pads to it [0105]. */
  7: required i64 chunkSizeBytes,
  /** WRITE access token for handle (from the lease). */
  8: optional binary accessToken,
  /**
   * The record itself, sent with the request instead of pushed beforehand ([0112]: the request and the record may
   * travel the same path); at most 1 MiB. The primary checks crc32c (CRC32C of data). A lone appender's record goes on
   * to the secondaries inside the primary's mutation; when others hold or wait for the chunk's lock, the primary first
   * relays it to each secondary's push buffer under dataId (pushData with this request's accessToken) and its
   * mutation names it by dataId, as for pushed data. Every replica checks the CRC32C before writing a byte of it.
   * Unset: the record was pushed under dataId, as for writes.
   */
  9: optional binary data,
  10: optional i32 crc32c,
}

/**
 * The primary's answer to appendRecord: the record's offset in the chunk, and whether the primary already told the
 * master the chunk's length covering it (reportReplicaLength); unset or false: the client reports it itself.
 */
struct RecordAppendReply {
  1: required i64 offsetInChunkBytes,
  2: optional bool lengthReported,
}

struct ReadResult {
  1: required binary data,
  /** The replica's chunk length, so the reader knows where the chunk ends. */
  2: required i64 chunkLengthBytes,
}

/** A replica's length and the CRC32C of its bytes [0, lengthBytes), for file checksums that ignore chunking. */
struct ChunkChecksum {
  1: required i64 lengthBytes,
  2: required i32 crc32c,
}

service ChunkServerService {
  /**
   * One piece (at most about 1 MiB) of the data for a later write or record append [0097-0100]. The receiver keeps it
   * under dataId and forwards it to the head of forwardTo, passing the rest of the chain along, while it goes on
   * receiving. The call for the last piece returns once every server in the chain holds the whole data.
   */
  void pushData(1: i64 dataId, 2: i64 pieceOffsetBytes, 3: binary piece, 4: bool last, 5: i32 totalLengthBytes,
                6: i32 crc32c, 7: list<ServerAddress> forwardTo,
                /** A WRITE access token (for any chunk): forwarded along the chain. */
                8: optional binary accessToken) throws (1: GfsException e),
  /** Sent to the primary: order the write, apply it, have the secondaries apply it [0101-0103]. */
  void write(1: WriteRequest request) throws (1: GfsException e),
  /** Sent to the primary: append the record where the primary chooses and return the chunk offset [0104-0108]. */
  i64 recordAppend(1: RecordAppendRequest request) throws (1: GfsException e),
  /**
   * recordAppend whose reply also says whether the primary reported the chunk's new length to the master for the
   * record's group (issue 6), so the client need not. Chunkservers without it answer UNKNOWN_METHOD (nothing applied):
   * call recordAppend then.
   */
  RecordAppendReply appendRecord(1: RecordAppendRequest request) throws (1: GfsException e),
  /** Sent by the primary to a secondary. */
  void applyMutation(1: Mutation mutation) throws (1: GfsException e),
  /**
   * Sent by the primary to a secondary: mutations of one chunk with rising serial numbers that the primary ordered as
   * one group (record appends that waited together [0111]), each applied exactly as applyMutation would, in list order,
   * stopping at the first that fails. At most 64 (INVALID_ARGUMENT otherwise, or for a list mixing chunks).
   */
  MutationGroupOutcome applyMutations(1: list<Mutation> mutations) throws (1: GfsException e),
  /** At most readLengthMax bytes; every checksum block the range touches is verified first [0127]. */
  ReadResult read(1: i64 handle, 2: i64 version, 3: i64 offsetBytes, 4: i32 lengthBytes,
                  /** READ (or WRITE, or master) access token for handle. */
                  5: optional binary accessToken) throws (1: GfsException e),
  /**
   * Sent by the master before it grants a lease: the chunk's new version (creating the chunk if it is new), and for the
   * primary the lease duration; zero for a secondary [0079-0080, 0092].
   */
  /*
   * epoch: the sending master's term; below the highest this chunkserver has seen (persisted) → STALE_EPOCH; 0 = a
   * master without election (no fencing).
   */
  void assignVersion(1: i64 handle, 2: i64 version, 3: bool create, 4: i64 leaseDurationMillis, 5: i64 epoch,
                     /** A master access token for handle: no client holds one. */
                     6: optional binary accessToken)
      throws (1: GfsException e),
  /**
   * The replica's length and the CRC32C of all its bytes, composed from its stored 64 KiB block CRCs (no data is read),
   * so a file checksum composed over its chunks is the same for equal contents whatever the chunking. Errors as for
   * read: UNKNOWN_CHUNK, STALE_VERSION (the replica is older than version), CHECKSUM_MISMATCH (known corrupt).
   */
  ChunkChecksum getChunkChecksum(1: i64 handle, 2: i64 version,
                                 /** READ (or WRITE, or master) access token for handle. */
                                 3: optional binary accessToken) throws (1: GfsException e),
  /**
   * Sent by the master to re-replicate a chunk [0069-0072]: this server pulls it from source with read(), checks it end
   * to end against the source's getChunkChecksum, and keeps it at version; the replica becomes visible only once it is
   * complete and on disk. The pull is throttled (gfs.chunkserver.clone.bytes.per.second), so the call lasts about
   * length / rate; BUSY when gfs.chunkserver.clones.max clones already run. A replica already here at version is kept
   * (a retried clone succeeds); an older or corrupt one is replaced; a newer one gives STALE_VERSION.
   */
  /* epoch: as for assignVersion (STALE_EPOCH below the highest seen). */
  void copyChunkFrom(1: i64 handle, 2: i64 version, 3: ServerAddress source, 4: i64 epoch,
                     /** A master access token for handle; the target reads the source with it. */
                     5: optional binary accessToken) throws (1: GfsException e),
  /**
   * Snapshot copy-on-write [0116]: creates chunk targetHandle at version as a copy of this server's replica of
   * sourceHandle, on local disk (no network), every source block verified and the copy's checksums checked against the
   * source's. The same rules as copyChunkFrom for a targetHandle replica already here.
   */
  /* epoch: as for assignVersion (STALE_EPOCH below the highest seen). */
  void copyChunkLocal(1: i64 sourceHandle, 2: i64 targetHandle, 3: i64 version, 4: i64 epoch,
                      /** A master access token naming targetHandle and sourceHandle. */
                      5: optional binary accessToken)
      throws (1: GfsException e),
}
