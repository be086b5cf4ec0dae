package io.gfs.chunkserver.server;

import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.Mutation;
import io.gfs.thrift.gen.ServerAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
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
    List<CompletableFuture<GfsException>> calls = new ArrayList<>(secondaries.size());
    for (ServerAddress secondary : secondaries) {
      calls.add(CompletableFuture.supplyAsync(() -> applyAt(RpcErrors.fromThrift(secondary), mutation), executor));
    }
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
    if (failures.isEmpty()) {
      return;
    }
    GfsException first = failures.get(0);
    if (failures.size() == 1) {
      throw first;
    }
    StringBuilder message = new StringBuilder();
    for (GfsException failure : failures) {
      message.append(message.length() == 0 ? "" : "; ").append(failure.getMessage());
    }
    GfsException all = RpcErrors.error(first.getCode(), "%s secondaries failed: %s", failures.size(), message);
    all.setHint(first.getHint());
    throw all;
  }

  /** Null on success, else the failure naming the secondary. */
  private GfsException applyAt(HostPort secondary, Mutation mutation) {
    String what = "mutation " + mutation.getSerialNumber() + " (" + mutation.getKind() + ") of chunk "
        + mutation.getHandle();
    try {
      rpc.chunkServer(secondary, c -> {
        c.applyMutation(mutation);
        return null;
      });
      return null;
    } catch (GfsException e) {
      return Errors.from(secondary.toString(), what, e);
    } catch (TException | RuntimeException e) {
      rpc.forget(secondary);
      return Errors.unreachable(secondary.toString(), what, e);
    }
  }
}
