package io.gfs.dist.reliability;

import io.gfs.client.GfsClient;
import io.gfs.client.GfsClientException;
import io.gfs.client.GfsFileStatus;
import io.gfs.thrift.gen.ErrorCode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Namespace clients for the linearizability check: each runs random create / mkdirs / delete / rename /
 * getFileStatus calls on a few names in one directory, each with its own gfs client, and records invocation, return
 * and outcome. A typed refusal (exists, not found...) is an outcome; anything else after the client's retries
 * (transport failures, no master) leaves the outcome unknown.
 *
 * <p>A long (soak) run moves to a fresh directory every window: linearizability is local to objects (Herlihy and
 * Wing), and no operation spans two directories, so each window's history is checked on its own and stays small
 * enough for the search.
 */
final class NamespaceWorkload {
  static final List<String> NAMES = List.of("a", "b", "c", "d");
  private static final Set<ErrorCode> REFUSALS = EnumSet.of(ErrorCode.ALREADY_EXISTS, ErrorCode.NOT_FOUND,
      ErrorCode.PARENT_NOT_DIRECTORY, ErrorCode.DIRECTORY_NOT_EMPTY, ErrorCode.IS_DIRECTORY, ErrorCode.NOT_DIRECTORY,
      ErrorCode.INVALID_ARGUMENT);

  private final List<String> directories;
  private final long windowNanos;
  private final long startNanos = System.nanoTime();
  private final List<List<NamespaceOp>> histories = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean stop = new AtomicBoolean();

  /** One directory per window of windowMillis (the last one takes whatever time is left); all must exist. */
  NamespaceWorkload(List<String> directories, long windowMillis) {
    this.directories = List.copyOf(directories);
    this.windowNanos = windowMillis * 1_000_000L;
    for (int i = 0; i < directories.size(); i++) {
      histories.add(new ArrayList<>());
    }
  }

  void start(List<GfsClient> clients, long seed, int operationsMax) {
    for (int i = 0; i < clients.size(); i++) {
      int id = i;
      GfsClient client = clients.get(i);
      Thread t = new Thread(() -> run(id, client, new SplittableRandom(seed + id), operationsMax), "ns-client-" + id);
      threads.add(t);
      t.start();
    }
  }

  private void run(int id, GfsClient client, SplittableRandom random, int operationsMax) {
    for (int n = 0; n < operationsMax && !stop.get(); n++) {
      NamespaceOp.Kind kind = NamespaceOp.Kind.values()[random.nextInt(NamespaceOp.Kind.values().length)];
      String name = NAMES.get(random.nextInt(NAMES.size()));
      String target = NAMES.get(random.nextInt(NAMES.size()));
      if (kind == NamespaceOp.Kind.RENAME && target.equals(name)) {
        target = NAMES.get((NAMES.indexOf(name) + 1) % NAMES.size());
      }
      int window = (int) Math.min(directories.size() - 1, (System.nanoTime() - startNanos) / windowNanos);
      NamespaceOp op = call(id, client, directories.get(window), kind, name, target);
      synchronized (histories) {
        histories.get(window).add(op);
      }
      try {
        Thread.sleep(random.nextInt(150));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private NamespaceOp call(int id, GfsClient client, String directory, NamespaceOp.Kind kind, String name,
      String target) {
    String path = directory + "/" + name;
    long invoked = System.nanoTime();
    NamespaceOp.Status status = NamespaceOp.Status.OK;
    String value = "";
    try {
      switch (kind) {
        case MKDIR -> value = Boolean.toString(client.mkdirs(path));
        case CREATE -> client.create(path, false, false, 0).close();
        case DELETE -> value = Boolean.toString(client.delete(path, true));
        case RENAME -> client.rename(path, directory + "/" + target);
        case STATUS -> {
          GfsFileStatus s = client.getFileStatus(path);
          value = s.directory() ? NamespaceOp.DIR : NamespaceOp.FILE;
        }
      }
    } catch (FileNotFoundException e) {
      status = kind == NamespaceOp.Kind.STATUS ? NamespaceOp.Status.OK : NamespaceOp.Status.REFUSED;
      value = kind == NamespaceOp.Kind.STATUS ? NamespaceOp.ABSENT : "";
    } catch (GfsClientException e) {
      status = REFUSALS.contains(e.code()) ? NamespaceOp.Status.REFUSED : NamespaceOp.Status.UNKNOWN;
    } catch (IOException | RuntimeException e) {
      status = NamespaceOp.Status.UNKNOWN;
    }
    return new NamespaceOp(id, kind, name, kind == NamespaceOp.Kind.RENAME ? target : "", invoked,
        System.nanoTime(), status, value);
  }

  /** Each window's history, in window order. */
  List<List<NamespaceOp>> stopAndCollect() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    synchronized (histories) {
      return histories.stream().map(List::copyOf).toList();
    }
  }
}
