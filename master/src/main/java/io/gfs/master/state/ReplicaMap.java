package io.gfs.master.state;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A read-only view of a chunk's replicas, in server-id order, over the chunk's two parallel arrays as they were when
 * it was made (the chunk replaces its arrays on a change and never writes into them, so the view is a snapshot).
 */
final class ReplicaMap extends AbstractMap<String, ChunkInfo.Replica> {
  private final String[] serverIds;
  private final ChunkInfo.Replica[] replicas;

  ReplicaMap(String[] serverIds, ChunkInfo.Replica[] replicas) {
    this.serverIds = serverIds;
    this.replicas = replicas;
  }

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
  public Set<Entry<String, ChunkInfo.Replica>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Entry<String, ChunkInfo.Replica>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < serverIds.length;
          }

          @Override
          public Entry<String, ChunkInfo.Replica> next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return new SimpleImmutableEntry<>(serverIds[i], replicas[i]);
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
