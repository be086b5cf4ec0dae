package io.gfs.master.state;

import io.gfs.common.Check;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Shares the replica sets (and the arrays in them) that describe chunks' replicas between chunks (issue 6's heap goal [0044-0045]). A million chunks
 * on a few chunkservers use few distinct sorted server-id sets, and almost every replica is "plain": at some version,
 * not corrupt, no recent grant. Such arrays are handed out once and shared; no shared array is ever written to (chunks
 * replace theirs whole). Not thread-safe: the chunk monitor guards the table that owns it.
 */
final class ReplicaArrays {
  static final String[] NO_IDS = new String[0];
  static final ChunkInfo.Replica[] NO_STATES = new ChunkInfo.Replica[0];
  /** Distinct id arrays and sets kept; past it new ones are simply not shared (a bound, not a correctness limit). */
  private static final int SHARED_SETS_MAX = 1 << 16;
  /** Versions below this have shared plain states; chunks rarely see more than a few lease grants. */
  private static final int SHARED_VERSIONS = 64;
  /** Replica counts up to this have shared all-plain state arrays. */
  private static final int SHARED_WIDTH_MAX = 8;

  private final Map<List<String>, String[]> idSets = new HashMap<>();
  private final Map<ReplicaSet, ReplicaSet> sets = new HashMap<>();
  /** [version][kind] plain state; kind 0: never confirmed, 1: confirmed before the report grace. */
  private final ChunkInfo.Replica[][] plain = new ChunkInfo.Replica[SHARED_VERSIONS][2];
  /** [version][kind][width] arrays whose every entry is that plain state. */
  private final ChunkInfo.Replica[][][][] plainArrays =
      new ChunkInfo.Replica[SHARED_VERSIONS][2][SHARED_WIDTH_MAX + 1][];

  /**
   * The replica set of these arrays (sorted ids, parallel states; the caller must not write to them afterwards): one
   * shared instance when the ids and the states are ones many chunks have, else a new one.
   */
  ReplicaSet set(String[] sortedIds, ChunkInfo.Replica[] states) {
    Check.argument(sortedIds.length == states.length, "%s ids, %s states", sortedIds.length, states.length);
    if (sortedIds.length == 0) {
      return ReplicaSet.EMPTY;
    }
    String[] ids = sharedIds(sortedIds);
    ChunkInfo.Replica[] plainStates = sharedStates(states);
    if (ids == null || plainStates == null) {
      return new ReplicaSet(ids != null ? ids : sortedIds, plainStates != null ? plainStates : states);
    }
    ReplicaSet key = new ReplicaSet(ids, plainStates);
    ReplicaSet found = sets.get(key);
    if (found != null) {
      return found;
    }
    if (sets.size() < SHARED_SETS_MAX) {
      sets.put(key, key);
    }
    return key;
  }

  /** The shared copy of a sorted id array (the argument itself the first time), or null past the bound. */
  private String[] sharedIds(String[] sortedIds) {
    String[] shared = idSets.get(Arrays.asList(sortedIds));
    if (shared == null && idSets.size() < SHARED_SETS_MAX) {
      idSets.put(List.of(sortedIds), sortedIds);
      shared = sortedIds;
    }
    return shared;
  }

  /** A plain state: the version, not corrupt, confirmed never or before the grace (see ChunkInfo.Replica). */
  ChunkInfo.Replica plain(long version, long confirmedAtMillis) {
    int kind = kindOf(confirmedAtMillis);
    if (version < 0 || version >= SHARED_VERSIONS || kind < 0) {
      return new ChunkInfo.Replica(version, false, confirmedAtMillis);
    }
    ChunkInfo.Replica state = plain[(int) version][kind];
    if (state == null) {
      state = new ChunkInfo.Replica(version, false, confirmedAtMillis);
      plain[(int) version][kind] = state;
    }
    return state;
  }

  /** The shared array of these states when all its entries are one shared plain state, else null. */
  private ChunkInfo.Replica[] sharedStates(ChunkInfo.Replica[] states) {
    ChunkInfo.Replica first = states[0];
    int kind = kindOf(first.confirmedAtMillis());
    if (states.length > SHARED_WIDTH_MAX || first.corrupt() || kind < 0 || first.version() < 0
        || first.version() >= SHARED_VERSIONS || plain[(int) first.version()][kind] != first) {
      return null;
    }
    for (ChunkInfo.Replica state : states) {
      if (state != first) {
        return null;
      }
    }
    ChunkInfo.Replica[][] byWidth = plainArrays[(int) first.version()][kind];
    if (byWidth[states.length] == null) {
      byWidth[states.length] = states;
    }
    return byWidth[states.length];
  }

  private static int kindOf(long confirmedAtMillis) {
    if (confirmedAtMillis == ChunkInfo.Replica.NEVER_CONFIRMED) {
      return 0;
    }
    return confirmedAtMillis == ChunkInfo.Replica.CONFIRMED_LONG_AGO ? 1 : -1;
  }

  /** A sorted id array with the id added (the same array if present); never writes into the argument. */
  static String[] with(String[] sortedIds, String id) {
    Check.notNull(id, "server id");
    int i = Arrays.binarySearch(sortedIds, id);
    if (i >= 0) {
      return sortedIds;
    }
    int at = -i - 1;
    String[] next = new String[sortedIds.length + 1];
    System.arraycopy(sortedIds, 0, next, 0, at);
    next[at] = id;
    System.arraycopy(sortedIds, at, next, at + 1, sortedIds.length - at);
    return next;
  }

  /** A sorted id array without the id (the same array if absent); never writes into the argument. */
  static String[] without(String[] sortedIds, String id) {
    int i = Arrays.binarySearch(sortedIds, id);
    if (i < 0) {
      return sortedIds;
    }
    if (sortedIds.length == 1) {
      return NO_IDS;
    }
    String[] next = new String[sortedIds.length - 1];
    System.arraycopy(sortedIds, 0, next, 0, i);
    System.arraycopy(sortedIds, i + 1, next, i, sortedIds.length - i - 1);
    return next;
  }
}
