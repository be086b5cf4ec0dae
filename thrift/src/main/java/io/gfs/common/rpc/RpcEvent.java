package io.gfs.common.rpc;

import io.gfs.common.Check;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * One RPC as a server handled it, for the diagnostic log [0132-0134]: who asked what, how long it took, how it ended,
 * and the request and reply as text with every binary field (file data) replaced by its length.
 *
 * <p>The texts may be rendered late: the server's worker keeps the few request and reply bytes and the text is made
 * only when someone reads it (the log file's writer thread, a status page). Rendering every call on the worker was
 * 35% of the master's RPC worker time in the metadata benchmark's profile, and most events are never read (the
 * memory keeps the latest 1000). The text is the same either way, made at most once.
 *
 * @param sequence the server's count of requests, in arrival order
 * @param startMillis wall-clock time the request reached the handler
 * @param peer host:port of the caller
 * @param outcome OK, the error code of a typed GfsException, APPLICATION_ERROR (unknown method, undecodable
 *     arguments, a handler bug), or FAILED when the connection had to be closed
 * @param requestBytes size of the request message; replyBytes of the reply (0 when none was sent)
 */
public final class RpcEvent {
  private final long sequence;
  private final long startMillis;
  private final String peer;
  private final String method;
  private final long durationMicros;
  private final String outcome;
  private final long requestBytes;
  private final long replyBytes;
  /** A String once rendered, else the Supplier that renders it (a benign race renders it twice at worst). */
  private volatile Object request;
  private volatile Object reply;

  /** An event whose texts are already made. */
  public RpcEvent(long sequence, long startMillis, String peer, String method, long durationMicros, String outcome,
      long requestBytes, long replyBytes, String request, String reply) {
    this(sequence, startMillis, peer, method, durationMicros, outcome, requestBytes, replyBytes, (Object) request,
        (Object) reply);
  }

  private RpcEvent(long sequence, long startMillis, String peer, String method, long durationMicros, String outcome,
      long requestBytes, long replyBytes, Object request, Object reply) {
    this.sequence = sequence;
    this.startMillis = startMillis;
    this.peer = peer;
    this.method = method;
    this.durationMicros = durationMicros;
    this.outcome = outcome;
    this.requestBytes = requestBytes;
    this.replyBytes = replyBytes;
    this.request = Check.notNull(request, "request");
    this.reply = Check.notNull(reply, "reply");
  }

  /**
   * An event whose request and reply texts are rendered on first use. The suppliers must hold only what stays valid
   * after the call (copies, never views of a reused frame) and must not fail: they return a note instead.
   */
  static RpcEvent rendered(long sequence, long startMillis, String peer, String method, long durationMicros,
      String outcome, long requestBytes, long replyBytes, Supplier<String> request, Supplier<String> reply) {
    return new RpcEvent(sequence, startMillis, peer, method, durationMicros, outcome, requestBytes, replyBytes,
        (Object) request, (Object) reply);
  }

  public long sequence() {
    return sequence;
  }

  public long startMillis() {
    return startMillis;
  }

  public String peer() {
    return peer;
  }

  public String method() {
    return method;
  }

  public long durationMicros() {
    return durationMicros;
  }

  public String outcome() {
    return outcome;
  }

  public long requestBytes() {
    return requestBytes;
  }

  public long replyBytes() {
    return replyBytes;
  }

  /** The request's arguments as text (file data as its length). */
  public String request() {
    Object text = request;
    if (text instanceof String done) {
      return done;
    }
    String made = render(text);
    request = made;
    return made;
  }

  /** The reply as text (file data as its length). */
  public String reply() {
    Object text = reply;
    if (text instanceof String done) {
      return done;
    }
    String made = render(text);
    reply = made;
    return made;
  }

  /** Whether both texts are made already (tests: the worker left them for later). */
  boolean rendered() {
    return request instanceof String && reply instanceof String;
  }

  @SuppressWarnings("unchecked")
  private static String render(Object supplier) {
    try {
      String text = ((Supplier<String>) supplier).get();
      return text == null ? "" : text;
    } catch (RuntimeException e) {
      return "(unrenderable: " + e + ")"; // the log helps diagnose, it never fails its reader
    }
  }

  /** One line of the log file: tab-separated, newlines in messages escaped, so each event is one line. */
  public String toLogLine() {
    return Instant.ofEpochMilli(startMillis) + "\t#" + sequence + "\t" + peer + "\t" + method + "\t" + durationMicros
        + "us\t" + outcome + "\tin=" + requestBytes + "B\tout=" + replyBytes + "B\t" + oneLine(request()) + "\t"
        + oneLine(reply());
  }

  private static String oneLine(String text) {
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
  }

  @Override
  public String toString() {
    return "RpcEvent[" + toLogLine() + "]";
  }
}
