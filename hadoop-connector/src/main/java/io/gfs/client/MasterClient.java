package io.gfs.client;

import io.gfs.client.state.RetryPolicy;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.security.Caller;
import io.gfs.common.security.CallerEnvelope;
import io.gfs.ha.RequestId;
import io.gfs.ha.TaggedMasterClient;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.MasterService;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.thrift.TException;
import org.apache.thrift.transport.TTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls to the master. A transport failure (refused, reset, timed out), NOT_MASTER, READ_ONLY_SHADOW or BUSY makes it
 * locate the master again, back off and retry: at least {@link RetryPolicy#attemptsMax()} attempts, for as long as the
 * policy's doubling pauses add up to, but never pausing longer than {@link #PAUSE_MILLIS_MAX} (so a failover is noticed
 * soon after the new master registers); any other typed error is the master's answer and goes to the caller as a
 * {@link GfsClientException} (or FileNotFoundException).
 *
 * <p>Every logical call carries one {@link RequestId} (this client's random id and a call number), sent again on each
 * retry, also to the next master after a failover (issue 4). A non-idempotent call (create, rename, remove, concat,
 * undelete) whose reply was lost but which the master applied is then answered from the master's retry cache with the
 * original outcome, instead of ALREADY_EXISTS or "not found", and is never applied twice.
 */
final class MasterClient {
  private static final Logger LOG = LoggerFactory.getLogger(MasterClient.class);
  /**
   * Longest pause between two attempts at the master. A failover takes about one ZooKeeper session timeout (seconds);
   * with the pauses doubling, a client would find the new master up to a whole pause late (a 3.2 s pause after 3 s
   * of failures). The client keeps the patience the doubling pauses give (their sum) but looks again at least every
   * half second.
   */
  static final long PAUSE_MILLIS_MAX = 500;

  private final MasterLocator locator;
  private final RpcClients rpc;
  private final RetryPolicy retry;
  private final Sleeper sleeper;
  private final RequestId clientId = RequestId.firstOf(UUID.randomUUID());
  private final AtomicLong calls = new AtomicLong();
  /** Who this client acts for (issue 7); null sends no identity (the master then acts as its own user). */
  private final Caller caller;
  /**
   * How long a call waits for a master: fixed by the (immutable) retry policy, so summed once here, not per call (the
   * loop over the attempts was about 3.5% of a client's getFileStatus samples, issue 6).
   */
  private final long patienceMillis;

  MasterClient(MasterLocator locator, RpcClients rpc, RetryPolicy retry, Sleeper sleeper) {
    this(locator, rpc, retry, sleeper, null);
  }

  MasterClient(MasterLocator locator, RpcClients rpc, RetryPolicy retry, Sleeper sleeper, Caller caller) {
    this.caller = caller;
    this.locator = locator;
    this.rpc = rpc;
    this.retry = retry;
    this.sleeper = sleeper;
    this.patienceMillis = patienceMillis(retry);
  }

  <R> R call(String context, RpcClients.Call<MasterService.Client, R> call) throws IOException {
    return call(context, call, false);
  }

  /**
   * A metadata read that a shadow master may answer [0123] (issue 4): while the active master cannot be reached (a
   * transport failure, or no master registered), each attempt also asks a shadow, whose answer may lag slightly.
   */
  <R> R readCall(String context, RpcClients.Call<MasterService.Client, R> call) throws IOException {
    return call(context, call, true);
  }

  private <R> R call(String context, RpcClients.Call<MasterService.Client, R> call, boolean shadowMayAnswer)
      throws IOException {
    List<String> failures = new ArrayList<>();
    RequestId request = clientId.withCallId(calls.incrementAndGet()); // the same on every attempt
    long waitedMillis = 0;
    for (int attempt = 0; ; attempt++) {
      HostPort master = null;
      boolean unreachable = false; // the active master did not answer at all (as opposed to a typed refusal)
      try {
        master = locator.locate();
        return tagged(master, request, call);
      } catch (GfsException e) {
        if (!RetryPolicy.retriedAtMaster(e.getCode())) {
          throw GfsClientException.of(e, context);
        }
        failures.add(master + ": " + e.getCode() + " " + e.getMessage());
        followHint(master, e);
      } catch (TTransportException e) {
        failures.add(master + ": " + e.getMessage());
        rpc.forget(master);
        locator.invalidate(master);
        unreachable = true;
      } catch (TException e) {
        // A protocol or application error: the call reached the master and was refused; repeating it would not help.
        throw new GfsClientException(ErrorCode.INTERNAL, context + ": master " + master + " failed: " + e, e);
      } catch (IOException e) {
        if (e instanceof java.io.InterruptedIOException) {
          throw e;
        }
        failures.add("cannot locate the master: " + e.getMessage());
        unreachable = true;
      }
      if (shadowMayAnswer && unreachable) {
        HostPort shadow = locator.shadow();
        if (shadow != null) {
          try {
            return tagged(shadow, request, call);
          } catch (GfsException e) {
            if (!RetryPolicy.retriedAtMaster(e.getCode())) {
              throw GfsClientException.of(e, context);
            }
            failures.add("shadow " + shadow + ": " + e.getCode() + " " + e.getMessage());
          } catch (TException e) {
            failures.add("shadow " + shadow + ": " + e.getMessage());
            rpc.forget(shadow);
          }
        }
      }
      if (!retry.mayRetry(attempt) && waitedMillis >= patienceMillis) { // both the attempts and the time used up
        // "Busy" too: a master that just took over answers BUSY until the chunkservers reported (the reasons say).
        throw new IOException(context + ": no master answered (unreachable, or busy) after " + (attempt + 1)
            + " attempts in " + waitedMillis + " ms: " + lastFailures(failures));
      }
      LOG.debug("{}: attempt {} failed ({}); retrying", context, attempt + 1, failures.get(failures.size() - 1));
      long pause = Math.max(0,
          Math.min(Math.min(retry.pauseMillis(attempt), PAUSE_MILLIS_MAX), patienceMillis - waitedMillis));
      sleeper.sleep(pause);
      waitedMillis += pause;
    }
  }

  /** The sum of the pauses the retry policy allows between its attempts: how long a call waits for a master. */
  static long patienceMillis(RetryPolicy retry) {
    long total = 0;
    for (int attempt = 0; retry.mayRetry(attempt); attempt++) {
      total += retry.pauseMillis(attempt);
    }
    return total;
  }

  private static List<String> lastFailures(List<String> failures) {
    return failures.size() <= 8 ? failures : failures.subList(failures.size() - 8, failures.size());
  }

  private <R> R tagged(HostPort master, RequestId request, RpcClients.Call<MasterService.Client, R> call)
      throws TException {
    return rpc.call(master, TaggedMasterClient.class, this::newMasterClient, c -> {
      c.tagNext(request);
      return call.apply(c);
    });
  }

  /** With a caller, the connection's protocol adds it to every call (CallerEnvelope, issue 7). */
  private TaggedMasterClient newMasterClient(org.apache.thrift.protocol.TProtocol protocol) {
    return new TaggedMasterClient(caller == null ? protocol : CallerEnvelope.sending(protocol, caller));
  }

  private void followHint(HostPort failed, GfsException e) {
    if (e.getCode() == ErrorCode.BUSY) {
      return;
    }
    if (e.isSetHint()) {
      try {
        locator.redirect(HostPort.parse(e.getHint()));
        return;
      } catch (IllegalArgumentException badHint) {
        LOG.debug("ignoring malformed master hint '{}'", e.getHint());
      }
    }
    locator.invalidate(failed);
  }
}
