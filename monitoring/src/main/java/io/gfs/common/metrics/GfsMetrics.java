package io.gfs.common.metrics;

import io.gfs.common.Check;
import io.gfs.common.web.WebResponse;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

/**
 * One server's metrics: a Prometheus registry of its own (no static state, so several servers share a JVM in tests),
 * the JVM basics, and the Prometheus text exposition for /metrics. Names follow the Prometheus conventions: a gfs_
 * prefix, base units in the name (_seconds, _bytes), counters exposed with _total. Values read from the server's
 * state are callbacks, evaluated at scrape time, so nothing is counted twice and an idle server costs nothing.
 */
public final class GfsMetrics {
  /** Upper bounds for latencies: 100 us to 30 s, about three per decade. */
  public static final double[] LATENCY_BOUNDS_SECONDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
      0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
  private static final Pattern NAME = Pattern.compile("(gfs|jvm|process)_[a-z0-9_]+");

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  public GfsMetrics() {
    JvmGauges.register(this);
  }

  /** A counter (expose without "_total": the exposition adds it). */
  public Counter counter(String name, String help, String... labelNames) {
    return Counter.builder().name(checked(name)).help(help).labelNames(labelNames).withoutExemplars()
        .register(registry);
  }

  /** A classic histogram with the given upper bounds (Prometheus adds +Inf). */
  public Histogram histogram(String name, String help, double[] upperBounds, String... labelNames) {
    return Histogram.builder().name(checked(name)).help(help).labelNames(labelNames).classicOnly()
        .classicUpperBounds(upperBounds).withoutExemplars().register(registry);
  }

  /** A gauge read from the server at scrape time. */
  public void gauge(String name, String help, DoubleSupplier value) {
    Check.notNull(value, "value");
    GaugeWithCallback.builder().name(checked(name)).help(help).callback(cb -> cb.call(value.getAsDouble()))
        .register(registry);
  }

  /** A gauge with labels: the callback calls {@code call(value, labelValues...)} once per series. */
  public void gauges(String name, String help, String[] labelNames, Consumer<GaugeWithCallback.Callback> values) {
    GaugeWithCallback.builder().name(checked(name)).help(help).labelNames(labelNames).callback(values)
        .register(registry);
  }

  /** A counter the server already keeps (a monotonic total), read at scrape time. */
  public void counterGauge(String name, String help, DoubleSupplier total) {
    Check.notNull(total, "total");
    CounterWithCallback.builder().name(checked(name)).help(help).callback(cb -> cb.call(total.getAsDouble()))
        .register(registry);
  }

  /** A labelled counter the server already keeps, read at scrape time. */
  public void counterGauges(String name, String help, String[] labelNames,
      Consumer<CounterWithCallback.Callback> totals) {
    CounterWithCallback.builder().name(checked(name)).help(help).labelNames(labelNames).callback(totals)
        .register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** Every metric in the Prometheus text format (version 0.0.4). */
  public String scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 << 10);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The /metrics answer. */
  public WebResponse response() {
    return WebResponse.text(200, PrometheusTextFormatWriter.CONTENT_TYPE, scrape());
  }

  private static String checked(String name) {
    Check.argument(NAME.matcher(name).matches() && !name.endsWith("_total"), "metric name %s", name);
    return name;
  }
}
