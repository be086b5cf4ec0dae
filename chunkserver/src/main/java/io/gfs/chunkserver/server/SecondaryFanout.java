package io.gfs.chunkserver.server;

import io.gfs.common.Check;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.thrift.gen.ChunkServerService;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.Mutation;
import io.gfs.thrift.gen.MutationGroupOutcome;
import io.gfs.thrift.gen.ServerAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.thrift.TException;

/**
 * The primary's step after applying a mutation locally: send it to every secondary at once and wait for all [0102].
 * Success only if every secondary applied it; otherwise one GfsException naming each secondary that failed, carrying
 * the first failure's code, so the client retries the whole mutation [0103].
 */
final class SecondaryFanout {
  private final RpcClients rpc;
  private final Executor executor;

  SecondaryFanout(RpcClients rpc, Executor executor) {
    this.rpc = rpc;
    this.executor = executor;
  }

  void apply(Mutation mutation, List<ServerAddress> secondaries) throws GfsException {
    start(mutation, secondaries).await();
  }

  /**
   * Sends the mutation to every secondary at once and returns without waiting, so the primary can apply it locally
   * meanwhile; {@link Started#await} then waits for all, exactly as {@link #apply} does.
   */
  Started start(Mutation mutation, List<ServerAddress> secondaries) {
    List<CompletableFuture<GfsException>> calls = new ArrayList<>(secondaries.size());
    for (ServerAddress secondary : secondaries) {
      calls.add(CompletableFuture.supplyAsync(() -> applyAt(RpcErrors.fromThrift(secondary), mutation), executor));
    }
    return new Started(calls);
  }

  /**
   * Pushes a record that came with its append request ([0112]) on to every secondary at once, into their push buffers
   * under the request's data id, as the client's push would have; {@link Started#await} waits for all and names each
   * secondary that failed. The primary does this before it queues the append for the chunk's lock, so the group's
   * mutations then name the record by data id and the lock is not held while the record travels (a group carrying
   * its records inline held it through a 1 MiB transfer to each secondary).
   */
  Started relay(long dataId, ByteBuffer record, int crc32c, ByteBuffer accessToken, List<ServerAddress> secondaries) {
    return new Started(eachAtOnce(secondaries,
        secondary -> relayAt(RpcErrors.fromThrift(secondary), dataId, record, crc32c, accessToken)));
  }

  /**
   * Calls every secondary at once: all but the last through the pool, the last on the calling thread, which would
   * only wait otherwise. Only for callers that wait for all right away (relay, applyGroup): a pool hand-off costs two
   * thread switches (the pool thread's wake-up, then the caller's when the answer is in), and a record's relay and
   * its group's fan-out paid them for every secondary (perf of bench append: about 20 context switches per record,
   * the kernel's work after them a quarter of the samples).
   */
  private <T> List<CompletableFuture<T>> eachAtOnce(List<ServerAddress> secondaries,
      Function<ServerAddress, T> call) {
    List<CompletableFuture<T>> calls = new ArrayList<>(secondaries.size());
    for (int i = 0; i < secondaries.size() - 1; i++) {
      ServerAddress secondary = secondaries.get(i);
      calls.add(CompletableFuture.supplyAsync(() -> call.apply(secondary), executor));
    }
    if (!secondaries.isEmpty()) {
      CompletableFuture<T> last = new CompletableFuture<>();
      try {
        last.complete(call.apply(secondaries.get(secondaries.size() - 1)));
      } catch (RuntimeException | Error e) {
        last.completeExceptionally(e); // as a pool thread's failure would be seen by the waiter
      }
      calls.add(last);
    }
    return calls;
  }

  /** Null on success, else the failure naming the secondary. */
  private GfsException relayAt(HostPort secondary, long dataId, ByteBuffer record, int crc32c,
      ByteBuffer accessToken) {
    return callAt(secondary, "relaying record " + dataId, c -> {
      c.pushData(dataId, 0, record.duplicate(), true, record.remaining(), crc32c, List.of(),
          accessToken == null ? null : accessToken.duplicate());
      return null;
    });
  }

  /** Null on success, else the failure naming the secondary (a connection that failed is dropped). */
  private GfsException callAt(HostPort secondary, String what, RpcClients.Call<ChunkServerService.Client, Void> call) {
    try {
      rpc.chunkServer(secondary, call);
      return null;
    } catch (GfsException e) {
      return Errors.from(secondary.toString(), what, e);
    } catch (TException | RuntimeException e) {
      rpc.forget(secondary);
      return Errors.unreachable(secondary.toString(), what, e);
    }
  }

  /** A mutation on its way to the secondaries. */
  static final class Started {
    private final List<CompletableFuture<GfsException>> calls;

    private Started(List<CompletableFuture<GfsException>> calls) {
      this.calls = calls;
    }

    /** Waits for every secondary; success only if each applied the mutation. */
    void await() throws GfsException {
      List<GfsException> failures = new ArrayList<>();
      for (CompletableFuture<GfsException> call : calls) {
        GfsException failure;
        try {
          failure = call.join();
        } catch (CompletionException e) {
          failure = Errors.unreachable("a secondary", "applying a mutation", e.getCause());
        }
        if (failure != null) {
          failures.add(failure);
        }
      }
      if (!failures.isEmpty()) {
        throw combined(failures);
      }
    }

    /** Waits for every secondary's answer, whatever it is (the primary failed itself and says so instead). */
    void awaitQuietly() {
      for (CompletableFuture<GfsException> call : calls) {
        call.handle((failure, error) -> null).join();
      }
    }
  }

  /**
   * Sends a group of mutations of one chunk (serial order) to the secondaries, each secondary getting, in one call,
   * the mutations whose targets name it, and waits for all. Returns per mutation null if every secondary it went to
   * applied it, else the failure naming the secondaries that did not (a secondary applies a group in order and stops at
   * its first failure, so it failed that one and every later one it was sent).
   */
  List<GfsException> applyGroup(List<Mutation> mutations, List<List<ServerAddress>> targets) {
    Check.argument(mutations.size() == targets.size(), "%s mutations, %s target lists", mutations.size(),
        targets.size());
    Map<ServerAddress, List<Integer>> bySecondary = new LinkedHashMap<>();
    for (int k = 0; k < mutations.size(); k++) {
      for (ServerAddress secondary : targets.get(k)) {
        bySecondary.computeIfAbsent(secondary, s -> new ArrayList<>()).add(k);
      }
    }
    List<ServerAddress> secondaries = List.copyOf(bySecondary.keySet());
    List<CompletableFuture<MutationGroupOutcome>> started = eachAtOnce(secondaries, secondary -> applyGroupAt(
        RpcErrors.fromThrift(secondary), bySecondary.get(secondary).stream().map(mutations::get).toList()));
    Map<ServerAddress, CompletableFuture<MutationGroupOutcome>> calls = new LinkedHashMap<>();
    for (int i = 0; i < secondaries.size(); i++) {
      calls.put(secondaries.get(i), started.get(i));
    }
    List<List<GfsException>> failed = new ArrayList<>(mutations.size());
    mutations.forEach(m -> failed.add(new ArrayList<>(0)));
    calls.forEach((secondary, call) -> {
      MutationGroupOutcome outcome;
      try {
        outcome = call.join();
      } catch (CompletionException e) {
        outcome = new MutationGroupOutcome(0).setFailure(Errors.unreachable(secondary.toString(),
            "applying a group of mutations", e.getCause()));
      }
      List<Integer> indices = bySecondary.get(secondary);
      for (int j = Math.max(0, outcome.getAppliedCount()); j < indices.size(); j++) {
        failed.get(indices.get(j)).add(outcome.getFailure());
      }
    });
    List<GfsException> out = new ArrayList<>(mutations.size());
    for (List<GfsException> failures : failed) {
      out.add(failures.isEmpty() ? null : combined(failures));
    }
    return out;
  }

  /** A secondary's outcome for the group; a failed call counts as none applied, with the failure naming it. */
  private MutationGroupOutcome applyGroupAt(HostPort secondary, List<Mutation> mutations) {
    Mutation first = mutations.get(0);
    String what = mutations.size() + " mutations from " + first.getSerialNumber() + " of chunk " + first.getHandle();
    try {
      MutationGroupOutcome outcome = rpc.chunkServer(secondary, c -> c.applyMutations(mutations));
      if (outcome.getAppliedCount() < mutations.size()) {
        GfsException cause = outcome.isSetFailure() ? outcome.getFailure()
            : RpcErrors.error(ErrorCode.INTERNAL, "stopped without a reason");
        Mutation stopped = mutations.get(Math.max(0, outcome.getAppliedCount()));
        outcome.setFailure(Errors.from(secondary.toString(), "mutation " + stopped.getSerialNumber() + " ("
            + stopped.getKind() + ") of chunk " + stopped.getHandle(), cause));
      }
      return outcome;
    } catch (GfsException e) {
      return new MutationGroupOutcome(0).setFailure(Errors.from(secondary.toString(), what, e));
    } catch (TException | RuntimeException e) {
      rpc.forget(secondary);
      return new MutationGroupOutcome(0).setFailure(Errors.unreachable(secondary.toString(), what, e));
    }
  }

  /** One failure as it is; several as one carrying the first's code and hint, naming every secondary. */
  private static GfsException combined(List<GfsException> failures) {
    GfsException first = failures.get(0);
    if (failures.size() == 1) {
      return first;
    }
    StringBuilder message = new StringBuilder();
    for (GfsException failure : failures) {
      message.append(message.length() == 0 ? "" : "; ").append(failure.getMessage());
    }
    GfsException all = RpcErrors.error(first.getCode(), "%s secondaries failed: %s", failures.size(), message);
    all.setHint(first.getHint());
    return all;
  }

  /** Null on success, else the failure naming the secondary. */
  private GfsException applyAt(HostPort secondary, Mutation mutation) {
    return callAt(secondary, "mutation " + mutation.getSerialNumber() + " (" + mutation.getKind() + ") of chunk "
        + mutation.getHandle(), c -> {
          c.applyMutation(mutation);
          return null;
        });
  }
}
