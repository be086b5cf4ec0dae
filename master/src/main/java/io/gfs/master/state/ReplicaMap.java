package io.gfs.master.state;

import io.gfs.common.Check;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A chunk's replicas by chunkserver id, in id order, as two small sorted arrays sized to the replica count: a chunk has
 * a handful of replicas, and a TreeMap with its entries cost about 170 bytes a chunk more (issue 6 [0044-0045]). An
 * empty map shares empty arrays. Not thread-safe (the chunk monitor guards it).
 */
final class ReplicaMap extends AbstractMap<String, ChunkInfo.Replica> {
  private static final String[] NO_SERVERS = new String[0];
  private static final ChunkInfo.Replica[] NO_REPLICAS = new ChunkInfo.Replica[0];
  private String[] serverIds = NO_SERVERS;
  private ChunkInfo.Replica[] replicas = NO_REPLICAS;

  private int indexOf(Object serverId) {
    return serverId instanceof String id ? Arrays.binarySearch(serverIds, id) : -1;
  }

  @Override
  public int size() {
    return serverIds.length;
  }

  @Override
  public boolean containsKey(Object serverId) {
    return indexOf(serverId) >= 0;
  }

  @Override
  public ChunkInfo.Replica get(Object serverId) {
    int i = indexOf(serverId);
    return i >= 0 ? replicas[i] : null;
  }

  @Override
  public ChunkInfo.Replica put(String serverId, ChunkInfo.Replica replica) {
    Check.notNull(serverId, "serverId");
    Check.notNull(replica, "replica");
    int i = Arrays.binarySearch(serverIds, serverId);
    if (i >= 0) {
      ChunkInfo.Replica previous = replicas[i];
      replicas[i] = replica;
      return previous;
    }
    int at = -i - 1;
    int n = serverIds.length;
    String[] ids = new String[n + 1];
    ChunkInfo.Replica[] values = new ChunkInfo.Replica[n + 1];
    System.arraycopy(serverIds, 0, ids, 0, at);
    System.arraycopy(replicas, 0, values, 0, at);
    ids[at] = serverId;
    values[at] = replica;
    System.arraycopy(serverIds, at, ids, at + 1, n - at);
    System.arraycopy(replicas, at, values, at + 1, n - at);
    serverIds = ids;
    replicas = values;
    return null;
  }

  @Override
  public ChunkInfo.Replica remove(Object serverId) {
    int i = indexOf(serverId);
    if (i < 0) {
      return null;
    }
    ChunkInfo.Replica removed = replicas[i];
    removeAt(i);
    return removed;
  }

  private void removeAt(int i) {
    int n = serverIds.length;
    if (n == 1) {
      serverIds = NO_SERVERS;
      replicas = NO_REPLICAS;
      return;
    }
    String[] ids = new String[n - 1];
    ChunkInfo.Replica[] values = new ChunkInfo.Replica[n - 1];
    System.arraycopy(serverIds, 0, ids, 0, i);
    System.arraycopy(replicas, 0, values, 0, i);
    System.arraycopy(serverIds, i + 1, ids, i, n - i - 1);
    System.arraycopy(replicas, i + 1, values, i, n - i - 1);
    serverIds = ids;
    replicas = values;
  }

  @Override
  public void clear() {
    serverIds = NO_SERVERS;
    replicas = NO_REPLICAS;
  }

  @Override
  public Set<Entry<String, ChunkInfo.Replica>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Entry<String, ChunkInfo.Replica>> iterator() {
        return new Iterator<>() {
          private final String[] ids = serverIds;
          private int next;

          @Override
          public boolean hasNext() {
            return next < ids.length;
          }

          @Override
          public Entry<String, ChunkInfo.Replica> next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            // Like TreeMap's fail-fast iterators: a change (which replaces the arrays) during iteration is a bug.
            Check.state(serverIds == ids, "replica map changed during iteration");
            int i = next++;
            return new SimpleImmutableEntry<>(ids[i], replicas[i]);
          }
        };
      }

      @Override
      public int size() {
        return serverIds.length;
      }
    };
  }
}
