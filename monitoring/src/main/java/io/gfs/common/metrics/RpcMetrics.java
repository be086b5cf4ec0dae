package io.gfs.common.metrics;

import io.gfs.common.rpc.RpcEvent;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
  /** Adders, not one AtomicLong: every worker counts every call (contended at 32 threads). */
  private final java.util.concurrent.atomic.LongAdder total = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder failed = new java.util.concurrent.atomic.LongAdder();

  public RpcMetrics(GfsMetrics metrics) {
    this.requests = metrics.counter("gfs_rpc_server_requests", "RPCs handled, by method and outcome (OK, an error "
        + "code, APPLICATION_ERROR or FAILED).", "method", "outcome");
    this.duration = metrics.histogram("gfs_rpc_server_duration_seconds", "Time from reading an RPC to sending its "
        + "reply, by method.", GfsMetrics.LATENCY_BOUNDS_SECONDS, "method");
    this.receivedBytes = metrics.counter("gfs_rpc_server_received_bytes", "Request bytes received, by method.",
        "method");
    this.sentBytes = metrics.counter("gfs_rpc_server_sent_bytes", "Reply bytes sent, by method.", "method");
  }

  /**
   * One method's series, looked up once: labelValues builds a label list and searches the metric's map on every
   * call, four times per RPC (a visible share of the master's worker time in issue 6's profile).
   */
  private final class Series {
    final CounterDataPoint ok;
    final DistributionDataPoint time;
    final CounterDataPoint received;
    final CounterDataPoint sent;
    final java.util.concurrent.atomic.LongAdder calls = new java.util.concurrent.atomic.LongAdder();

    Series(String method) {
      ok = requests.labelValues(method, "OK");
      time = duration.labelValues(method);
      received = receivedBytes.labelValues(method);
      sent = sentBytes.labelValues(method);
    }
  }

  private final java.util.Map<String, Series> series = new ConcurrentHashMap<>();

  @Override
  public void accept(RpcEvent event) {
    String method = method(event.method());
    String outcome = outcome(event.outcome());
    Series s = series.computeIfAbsent(method, Series::new); // bounded: method() caps the names
    if (outcome.equals("OK")) {
      s.ok.inc();
    } else {
      requests.labelValues(method, outcome).inc();
      failed.increment();
    }
    s.time.observe(event.durationMicros() / 1e6);
    s.received.inc(Math.max(0, event.requestBytes()));
    s.sent.inc(Math.max(0, event.replyBytes()));
    total.increment();
    s.calls.increment();
  }

  /** RPCs handled so far (the charts' request rate). */
  public long total() {
    return total.sum();
  }

  /** RPCs of one method handled so far (0 for a method never called). */
  public long total(String method) {
    Series s = series.get(method);
    return s == null ? 0 : s.calls.sum();
  }

  /** RPCs that did not end OK so far (typed errors included: NOT_FOUND is an answer, but worth a line on a chart). */
  public long failed() {
    return failed.sum();
  }

  private String method(String messageName) {
    String name = io.gfs.common.web.RpcEventsView.methodName(messageName);
    if (methods.contains(name)) {
      return name; // known names passed the check when first seen: no pattern match per call (issue 6's profile)
    }
    if (!IDENTIFIER.matcher(name).matches()) {
      return OTHER;
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
    if (outcome.equals("OK")) {
      return "OK"; // nearly every call
    }
    int space = outcome.indexOf(' ');
    String word = space < 0 ? outcome : outcome.substring(0, space);
    return IDENTIFIER.matcher(word).matches() ? word : OTHER;
  }
}
