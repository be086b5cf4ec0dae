package io.gfs.chunkserver.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.chunkserver.state.ChunkServerState;
import io.gfs.chunkserver.state.PushBuffer;
import io.gfs.chunkserver.store.ChunkStore;
import io.gfs.chunkserver.store.InMemoryChunkStore;
import io.gfs.common.Crc32c;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.common.rpc.ThriftBinary;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.Mutation;
import io.gfs.thrift.gen.MutationGroupOutcome;
import io.gfs.thrift.gen.MutationKind;
import io.gfs.thrift.gen.RecordAppendReply;
import io.gfs.thrift.gen.RecordAppendRequest;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The primary's record appends to one chunk: one request's thread leads (takes the chunk's lock and applies the
 * waiting ones as groups); the others wait for their outcome, not for the lock, so a decided request replies without
 * queueing on the lock behind every other decided one. A primary without secondaries, on an in-memory store.
 */
class AppendLeaderTest {
  private static final long HANDLE = 11;
  private static final int APPENDERS = 3;
  private static final long POLL_MILLIS_MAX = 60_000;

  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final ExecutorService appenders = Executors.newFixedThreadPool(APPENDERS, r -> {
    Thread t = new Thread(r, "appender");
    t.setDaemon(true);
    return t;
  });
  private final List<Thread> appenderThreads = new CopyOnWriteArrayList<>();
  private ChunkLocks locks;
  private InMemoryChunkStore store;
  private ChunkServerState state;
  private Mutations mutations;
  private ExecutorService pool;
  private RpcClients offline;
  /** The primary's length reports to the master (issue 6), as (handle, version, length). */
  private final List<List<Long>> reports = new CopyOnWriteArrayList<>();
  private volatile boolean masterTakesReports = true;
  private final AtomicInteger storeWrites = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    state = new ChunkServerState();
    store = new InMemoryChunkStore();
    store.load();
    locks = new ChunkLocks(3_600_000); // a waiter never times out here: only the leader may be in the lock
    pool = Executors.newFixedThreadPool(2);
    offline = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(1000));
    offline.close();
    mutations = new Mutations(state, countingWrites(store), new PushBuffer(64L << 20, 60_000), locks,
        new SecondaryFanout(offline, pool), clock::get, () -> new HostPort("127.0.0.1", 1),
        (handle, version, lengthBytes) -> {
          reports.add(List.of(handle, version, lengthBytes));
          return masterTakesReports;
        });
    new ChunkOperations(state, store, locks, clock::get).assignVersion(HANDLE, 1, true, 60_000);
  }

  /** The store, counting its write calls in {@link #storeWrites}. */
  private ChunkStore countingWrites(ChunkStore delegate) {
    return (ChunkStore) Proxy.newProxyInstance(ChunkStore.class.getClassLoader(), new Class<?>[] {ChunkStore.class},
        (proxy, method, args) -> {
          if (method.getName().equals("write")) {
            storeWrites.incrementAndGet();
          }
          try {
            return method.invoke(delegate, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @AfterEach
  void stop() {
    appenders.shutdownNow();
    pool.shutdownNow();
  }

  private long append(long dataId) throws Exception {
    appenderThreads.add(Thread.currentThread());
    return mutations.recordAppend(request(dataId));
  }

  private static RecordAppendRequest request(long dataId) {
    byte[] record = new byte[100];
    record[0] = (byte) dataId;
    return new RecordAppendRequest(HANDLE, 1, dataId, record.length, List.of(), false, 64L << 20)
        .setData(ByteBuffer.wrap(record)).setCrc32c(Crc32c.of(record, 0, record.length));
  }

  /** Issue 6: appendRecord, which also says whether the primary reported the chunk's length for the record. */
  private RecordAppendReply appendRecord(long dataId) throws Exception {
    appenderThreads.add(Thread.currentThread());
    return mutations.appendRecord(request(dataId));
  }

  /** The appends of dataIds 100, 101, ... queued behind a held chunk lock, so one group takes them all. */
  @SafeVarargs
  @SuppressWarnings("try") // the guard only holds the chunk lock
  private <T> List<T> asOneGroup(java.util.concurrent.Callable<T>... appends) throws Exception {
    List<Future<T>> calls = new ArrayList<>();
    try (ChunkLocks.Guard held = locks.lock(HANDLE)) {
      for (java.util.concurrent.Callable<T> append : appends) {
        calls.add(appenders.submit(append));
      }
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS_MAX);
      while (!allParked(appends.length)) {
        assertTrue(System.nanoTime() < deadline, "the appenders never settled: " + describe());
        Thread.sleep(10);
      }
    }
    List<T> out = new ArrayList<>();
    for (Future<T> call : calls) {
      out.add(call.get(POLL_MILLIS_MAX, TimeUnit.MILLISECONDS));
    }
    return out;
  }

  /**
   * A record that came inside its request (a received frame's bytes) is checked, written and sent on from those bytes
   * themselves: the generated getter copied a 64 KiB record twice per replica (issue 6) and swapped the request's
   * field for its copy.
   */
  @Test
  void theInlineRecordIsWrittenFromItsRequestsOwnBytes() throws Exception {
    byte[] frame = new byte[300]; // the record sits inside a larger array, as in a received frame
    new java.util.Random(6).nextBytes(frame);
    RecordAppendRequest request = new RecordAppendRequest(HANDLE, 1, 7, 100, List.of(), false, 64L << 20)
        .setCrc32c(Crc32c.of(frame, 40, 100));
    assertTrue(ThriftBinary.set(request, "data", ByteBuffer.wrap(frame, 40, 100)));
    assertEquals(0, mutations.recordAppend(request));
    assertSame(frame, ThriftBinary.shared(request, "data").array(), "the record's bytes were copied");
    assertArrayEquals(java.util.Arrays.copyOfRange(frame, 40, 140), store.read(HANDLE, 0, 100));
  }

  /** A secondary checks and writes a group's inline records from the call's own bytes too, not copies of them. */
  @Test
  void aSecondaryWritesAGroupsInlineRecordsFromTheCallsOwnBytes() throws Exception {
    long secondaryHandle = HANDLE + 1;
    new ChunkOperations(state, store, locks, clock::get).assignVersion(secondaryHandle, 1, true, 0);
    byte[] frame = new byte[400];
    new java.util.Random(7).nextBytes(frame);
    List<Mutation> group = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Mutation m = Mutations.mutation(secondaryHandle, 1, i + 1, MutationKind.RECORD_APPEND, 100L * i, 50 + i, 100,
          false).setCrc32c(Crc32c.of(frame, 10 + 150 * i, 100));
      assertTrue(ThriftBinary.set(m, "data", ByteBuffer.wrap(frame, 10 + 150 * i, 100)));
      group.add(m);
    }
    MutationGroupOutcome outcome = mutations.applyMutations(group);
    assertEquals(2, outcome.getAppliedCount(), "both applied: " + outcome);
    for (Mutation m : group) {
      assertSame(frame, ThriftBinary.shared(m, "data").array(), "the record's bytes were copied");
    }
    byte[] expected = new byte[200];
    System.arraycopy(frame, 10, expected, 0, 100);
    System.arraycopy(frame, 160, expected, 100, 100);
    assertArrayEquals(expected, store.read(secondaryHandle, 0, 200));
    assertEquals(1, storeWrites.get(), "the run of records went to the store as one write");
  }

  /** A record that fails its checks ends the run before it: the records before it are applied, it fails. */
  @Test
  void aSecondaryAppliesTheRecordsBeforeOneThatFailsItsChecks() throws Exception {
    long secondaryHandle = HANDLE + 1;
    new ChunkOperations(state, store, locks, clock::get).assignVersion(secondaryHandle, 1, true, 0);
    byte[] frame = new byte[300];
    new java.util.Random(8).nextBytes(frame);
    List<Mutation> group = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Mutation m = Mutations.mutation(secondaryHandle, 1, i + 1, MutationKind.RECORD_APPEND, 100L * i, 50 + i, 100,
          false).setCrc32c(Crc32c.of(frame, 100 * i, 100) ^ (i == 2 ? 1 : 0)); // the third arrived damaged
      assertTrue(ThriftBinary.set(m, "data", ByteBuffer.wrap(frame, 100 * i, 100)));
      group.add(m);
    }
    MutationGroupOutcome outcome = mutations.applyMutations(group);
    assertEquals(2, outcome.getAppliedCount(), "the two before it applied: " + outcome);
    assertEquals(ErrorCode.CHECKSUM_MISMATCH, outcome.getFailure().getCode());
    assertEquals(200, store.lengthBytes(secondaryHandle));
    assertArrayEquals(java.util.Arrays.copyOf(frame, 200), store.read(secondaryHandle, 0, 200));
    assertEquals(3, state.nextSerial(secondaryHandle), "serials 1 and 2 applied, 3 not");
  }

  /** The primary writes a group's records, one right after another, as one store write (issue 6). */
  @Test
  void aGroupsRecordsGoToTheStoreAsOneWrite() throws Exception {
    List<Long> offsets = asOneGroup(() -> append(100), () -> append(101), () -> append(102));
    assertEquals(Set.of(0L, 100L, 200L), new HashSet<>(offsets));
    assertEquals(1, storeWrites.get(), "one write for the group's three records");
    for (int i = 0; i < 3; i++) {
      byte[] stored = store.read(HANDLE, offsets.get(i), 100);
      assertEquals((byte) (100 + i), stored[0], "append " + (100 + i) + " at its own offset");
    }
  }

  @Test
  void aGroupReportsTheChunksLengthOnceBeforeItsReplies() throws Exception {
    List<RecordAppendReply> replies = asOneGroup(() -> appendRecord(100), () -> appendRecord(101),
        () -> appendRecord(102));
    assertEquals(List.of(List.of(HANDLE, 1L, 300L)), reports, "one report for the group, past its last record");
    Set<Long> offsets = new HashSet<>();
    for (RecordAppendReply reply : replies) {
      assertTrue(reply.isLengthReported(), "every reply says the master knows: " + reply);
      offsets.add(reply.getOffsetInChunkBytes());
    }
    assertEquals(Set.of(0L, 100L, 200L), offsets);
  }

  @Test
  void anUnreportedGroupLeavesTheReportToItsClientsAndOldClientsCostNoReport() throws Exception {
    List<Long> plain = asOneGroup(() -> append(100), () -> append(101)); // recordAppend: the client reports
    assertEquals(2, plain.size());
    assertEquals(List.of(), reports, "no appender of the group asked the primary to report");
    masterTakesReports = false; // refused, unreachable, or an older master
    RecordAppendReply reply = appendRecord(102);
    assertEquals(1, reports.size());
    assertEquals(200, reply.getOffsetInChunkBytes());
    assertFalse(reply.isSetLengthReported() && reply.isLengthReported(), "the client must report: " + reply);
  }

  @Test
  @SuppressWarnings("try") // the guard only holds the chunk lock
  void onlyTheLeaderWaitsForTheChunksLockAndEveryAppendLandsAtItsOwnOffset() throws Exception {
    List<Future<Long>> offsets = new ArrayList<>();
    try (ChunkLocks.Guard held = locks.lock(HANDLE)) { // a write holds the chunk: the appends queue behind it
      for (int i = 0; i < APPENDERS; i++) {
        long dataId = 100 + i;
        offsets.add(appenders.submit(() -> append(dataId)));
      }
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS_MAX);
      while (!allParked()) {
        assertTrue(System.nanoTime() < deadline, "the appenders never settled: " + describe());
        Thread.sleep(10);
      }
      assertEquals(1, inLockWait(), "one leader waits for the lock, the others for their outcome: " + describe());
    }
    Set<Long> distinct = new HashSet<>();
    for (Future<Long> offset : offsets) {
      distinct.add(offset.get(POLL_MILLIS_MAX, TimeUnit.MILLISECONDS));
    }
    assertEquals(Set.of(0L, 100L, 200L), distinct, "each record at its own offset, one after another");
  }

  /** A record sent inline while the chunk is busy, to a secondary the (closed) RPC clients cannot reach. */
  private Future<Long> appendToAnUnreachableSecondary(long dataId, int lengthBytes) {
    byte[] record = new byte[lengthBytes];
    RecordAppendRequest request = new RecordAppendRequest(HANDLE, 1, dataId, lengthBytes,
        List.of(new io.gfs.thrift.gen.ServerAddress("127.0.0.1", 2)), false, 64L << 20)
        .setData(ByteBuffer.wrap(record)).setCrc32c(Crc32c.of(record, 0, lengthBytes));
    return appenders.submit(() -> {
      appenderThreads.add(Thread.currentThread());
      return mutations.recordAppend(request);
    });
  }

  private static String failure(Future<Long> call) {
    java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
        java.util.concurrent.ExecutionException.class, () -> call.get(POLL_MILLIS_MAX, TimeUnit.MILLISECONDS));
    assertTrue(e.getCause() instanceof io.gfs.thrift.gen.GfsException, e.toString());
    return e.getCause().getMessage();
  }

  @Test
  void whileTheChunkIsBusyOnlyABigRecordIsRelayedAheadASmallOneRidesItsGroup() throws Exception {
    Future<Long> small;
    ChunkLocks.Guard held = locks.lock(HANDLE); // the chunk is busy
    try {
      String big = failure(appendToAnUnreachableSecondary(200, InlineRecords.RELAY_BYTES_MIN));
      assertTrue(big.contains("relaying record 200"), "relayed before waiting for the lock: " + big);
      small = appendToAnUnreachableSecondary(201, InlineRecords.RELAY_BYTES_MIN - 1);
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS_MAX);
      while (inLockWait() == 0) { // not relayed: it waits for the lock to lead its group
        assertTrue(System.nanoTime() < deadline && !small.isDone(), "the small record never waited for the lock");
        Thread.sleep(10);
      }
    } finally {
      held.close();
    }
    String grouped = failure(small);
    assertTrue(grouped.contains("mutation") && !grouped.contains("relaying"), "sent with its group: " + grouped);
  }

  private boolean allParked() {
    return allParked(APPENDERS);
  }

  private boolean allParked(int appendersCount) {
    if (appenderThreads.size() < appendersCount) {
      return false;
    }
    for (Thread t : List.copyOf(appenderThreads)) {
      Thread.State s = t.getState();
      if ((s != Thread.State.WAITING && s != Thread.State.TIMED_WAITING) || !(inFrame(t, "lock")
          || inFrame(t, "awaitTurnOrOutcome"))) {
        return false;
      }
    }
    return true;
  }

  private long inLockWait() {
    return List.copyOf(appenderThreads).stream().filter(t -> inFrame(t, "lock")).count();
  }

  /** Whether the thread is inside ChunkLocks.lock ("lock") or Pending.awaitTurnOrOutcome. */
  private static boolean inFrame(Thread t, String method) {
    for (StackTraceElement frame : t.getStackTrace()) {
      if (frame.getMethodName().equals(method) && (frame.getClassName().endsWith("ChunkLocks")
          || frame.getClassName().endsWith("PendingAppends$Pending"))) {
        return true;
      }
    }
    return false;
  }

  private String describe() {
    StringBuilder b = new StringBuilder();
    for (Thread t : List.copyOf(appenderThreads)) {
      b.append(t.getState()).append(lockOrWait(t)).append("; ");
    }
    return b.toString();
  }

  private static String lockOrWait(Thread t) {
    return inFrame(t, "lock") ? " in lock" : inFrame(t, "awaitTurnOrOutcome") ? " awaiting outcome" : " elsewhere";
  }
}
