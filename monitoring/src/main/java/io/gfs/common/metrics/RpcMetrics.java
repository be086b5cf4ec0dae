package io.gfs.common.metrics;

import io.gfs.common.rpc.RpcEvent;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Per-method RPC metrics, fed by the server's diagnostic log ({@code DiagnosticLog.listen}): request counts by
 * outcome, latency histograms, and bytes in and out. Method and outcome names come off the wire, so they are bounded
 * here: a name's leading identifier counts (a per-call tag such as a request id is dropped); one that has none, or one
 * past {@link #METHODS_MAX} distinct names, counts as "other"; an
 * outcome is its first word ("FAILED ..." is "FAILED").
 */
public final class RpcMetrics implements Consumer<RpcEvent> {
  /** Distinct method labels at most; the services have about 40 methods together. */
  static final int METHODS_MAX = 100;
  static final String OTHER = "other";
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

  private final Counter requests;
  private final Histogram duration;
  private final Counter receivedBytes;
  private final Counter sentBytes;
  private final Set<String> methods = ConcurrentHashMap.newKeySet();
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final java.util.Map<String, java.util.concurrent.atomic.LongAdder> byMethod = new ConcurrentHashMap<>();

  public RpcMetrics(GfsMetrics metrics) {
    this.requests = metrics.counter("gfs_rpc_server_requests", "RPCs handled, by method and outcome (OK, an error "
        + "code, APPLICATION_ERROR or FAILED).", "method", "outcome");
    this.duration = metrics.histogram("gfs_rpc_server_duration_seconds", "Time from reading an RPC to sending its "
        + "reply, by method.", GfsMetrics.LATENCY_BOUNDS_SECONDS, "method");
    this.receivedBytes = metrics.counter("gfs_rpc_server_received_bytes", "Request bytes received, by method.",
        "method");
    this.sentBytes = metrics.counter("gfs_rpc_server_sent_bytes", "Reply bytes sent, by method.", "method");
  }

  @Override
  public void accept(RpcEvent event) {
    String method = method(event.method());
    String outcome = outcome(event.outcome());
    requests.labelValues(method, outcome).inc();
    duration.labelValues(method).observe(event.durationMicros() / 1e6);
    receivedBytes.labelValues(method).inc(Math.max(0, event.requestBytes()));
    sentBytes.labelValues(method).inc(Math.max(0, event.replyBytes()));
    total.incrementAndGet();
    byMethod.computeIfAbsent(method, m -> new java.util.concurrent.atomic.LongAdder()).increment();
    if (!outcome.equals("OK")) {
      failed.incrementAndGet();
    }
  }

  /** RPCs handled so far (the charts' request rate). */
  public long total() {
    return total.get();
  }

  /** RPCs of one method handled so far (0 for a method never called). */
  public long total(String method) {
    java.util.concurrent.atomic.LongAdder count = byMethod.get(method);
    return count == null ? 0 : count.sum();
  }

  /** RPCs that did not end OK so far (typed errors included: NOT_FOUND is an answer, but worth a line on a chart). */
  public long failed() {
    return failed.get();
  }

  private String method(String messageName) {
    String name = io.gfs.common.web.RpcEventsView.methodName(messageName);
    if (!IDENTIFIER.matcher(name).matches()) {
      return OTHER;
    }
    if (methods.contains(name)) {
      return name;
    }
    if (methods.size() >= METHODS_MAX) {
      return OTHER;
    }
    methods.add(name);
    return name;
  }

  static String outcome(String outcome) {
    if (outcome == null || outcome.isEmpty()) {
      return OTHER;
    }
    int space = outcome.indexOf(' ');
    String word = space < 0 ? outcome : outcome.substring(0, space);
    return IDENTIFIER.matcher(word).matches() ? word : OTHER;
  }
}
