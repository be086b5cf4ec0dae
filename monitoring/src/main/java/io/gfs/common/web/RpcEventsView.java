package io.gfs.common.web;

import io.gfs.common.rpc.RpcEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The recent-events part of every server's status page [0133]: the latest RPCs from the diagnostic log's memory, and a
 * per-method digest of them (count, errors, mean and slowest time), as HTML tables and as JSON. Every field is user
 * data (paths, peers, messages) and is escaped.
 */
public final class RpcEventsView {
  /** Characters of a request or reply shown; the whole text is in the diagnostic log file. */
  static final int TEXT_CHARS_MAX = 240;

  /** One method's digest over the events in memory. */
  public record MethodDigest(String method, long count, long errors, double meanMillis, double slowestMillis) {}

  private RpcEventsView() {}

  /**
   * The method a message name calls: its leading identifier. Clients may tag names (issue 4's request ids ride on
   * them as {@code create#rid=...}); the tag is per call and must not become a table row or a metric label.
   */
  public static String methodName(String messageName) {
    if (messageName == null) {
      return "?";
    }
    int end = 0;
    while (end < messageName.length() && end < 64 && (Character.isLetterOrDigit(messageName.charAt(end))
        || messageName.charAt(end) == '_')) {
      end++;
    }
    return end == 0 ? "?" : messageName.substring(0, end);
  }

  /** Per-method digest of the events, by method name. */
  public static List<MethodDigest> digest(List<RpcEvent> events) {
    Map<String, long[]> byMethod = new TreeMap<>();
    for (RpcEvent e : events) {
      long[] d = byMethod.computeIfAbsent(methodName(e.method()), m -> new long[4]);
      d[0]++;
      d[1] += e.outcome().equals("OK") ? 0 : 1;
      d[2] += e.durationMicros();
      d[3] = Math.max(d[3], e.durationMicros());
    }
    List<MethodDigest> out = new ArrayList<>();
    byMethod.forEach((method, d) -> out.add(new MethodDigest(method, d[0], d[1], d[2] / 1000.0 / d[0], d[3] / 1000.0)));
    return out;
  }

  /** The digest table and the latest {@code shownMax} events, newest first. */
  public static String html(List<RpcEvent> events, int shownMax) {
    return html(events, shownMax, java.util.Set.of());
  }

  /**
   * The digest table of every event, and the latest {@code shownMax} events newest first, leaving out the routine
   * methods named in {@code unlisted} (a master's heartbeats would fill the list in seconds).
   */
  public static String html(List<RpcEvent> events, int shownMax, java.util.Set<String> unlisted) {
    List<String[]> digestRows = new ArrayList<>();
    for (MethodDigest d : digest(events)) {
      digestRows.add(new String[] {Html.escape(d.method()), num(Long.toString(d.count())),
          d.errors() == 0 ? num("0") : "<span class=\"bad\">" + d.errors() + "</span>",
          num(Format.number(d.meanMillis()) + " ms"), num(Format.number(d.slowestMillis()) + " ms")});
    }
    List<String[]> eventRows = new ArrayList<>();
    for (int i = events.size() - 1; i >= 0 && eventRows.size() < shownMax; i--) {
      RpcEvent e = events.get(i);
      if (unlisted.contains(methodName(e.method()))) {
        continue;
      }
      String outcome = e.outcome().equals("OK") ? "<span class=\"ok\">OK</span>"
          : "<span class=\"bad\">" + Html.escape(e.outcome()) + "</span>";
      eventRows.add(new String[] {Html.escape(Instant.ofEpochMilli(e.startMillis())), Html.escape(e.peer()),
          Html.escape(methodName(e.method())), num(Format.number(e.durationMicros() / 1000.0) + " ms"), outcome,
          num(Format.bytes(e.requestBytes())), num(Format.bytes(e.replyBytes())),
          "<span class=\"code\">" + Html.escape(cut(e.request())) + "</span>"});
    }
    return "<p class=\"note\">The last " + events.size() + " RPCs kept in memory; every call is also in the rotating"
        + " diagnostic log file when gfs.diagnostic.log.dir is set.</p>"
        + Html.table("rpc-digest", new String[] {"method", "calls", "errors", "mean", "slowest"}, digestRows,
            "no RPC yet")
        + "<h3>Latest calls" + (unlisted.isEmpty() ? "" : " (" + Html.escape(String.join(", ", unlisted))
            + " left out)") + "</h3>"
        + Html.table("rpc-events", new String[] {"time", "peer", "method", "took", "outcome", "in", "out",
            "request"}, eventRows, "no RPC yet");
  }

  /** The events as JSON, newest first, at most {@code shownMax}. */
  public static Json json(List<RpcEvent> events, int shownMax) {
    Json json = new Json().beginObject().name("digest").beginArray();
    for (MethodDigest d : digest(events)) {
      json.beginObject().field("method", d.method()).field("count", d.count()).field("errors", d.errors())
          .field("meanMillis", d.meanMillis()).field("slowestMillis", d.slowestMillis()).endObject();
    }
    json.endArray().name("events").beginArray();
    for (int i = events.size() - 1, shown = 0; i >= 0 && shown < shownMax; i--, shown++) {
      RpcEvent e = events.get(i);
      json.beginObject().field("sequence", e.sequence()).field("startMillis", e.startMillis())
          .field("peer", e.peer()).field("method", methodName(e.method())).field("durationMicros", e.durationMicros())
          .field("outcome", e.outcome()).field("requestBytes", e.requestBytes()).field("replyBytes", e.replyBytes())
          .field("request", cut(e.request())).field("reply", cut(e.reply())).endObject();
    }
    return json.endArray().endObject();
  }

  private static String num(String text) {
    return "<span class=\"num\">" + Html.escape(text) + "</span>";
  }

  private static String cut(String text) {
    return text == null ? "" : text.length() <= TEXT_CHARS_MAX ? text : text.substring(0, TEXT_CHARS_MAX) + "...";
  }
}
