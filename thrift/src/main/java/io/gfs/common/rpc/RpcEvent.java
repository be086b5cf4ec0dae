package io.gfs.common.rpc;

import java.time.Instant;

/**
 * One RPC as a server handled it, for the diagnostic log [0132-0134]: who asked what, how long it took, how it ended,
 * and the request and reply as text with every binary field (file data) replaced by its length.
 *
 * @param sequence the server's count of requests, in arrival order
 * @param startMillis wall-clock time the request reached the handler
 * @param peer host:port of the caller
 * @param outcome OK, the error code of a typed GfsException, APPLICATION_ERROR (unknown method, undecodable
 *     arguments, a handler bug), or FAILED when the connection had to be closed
 * @param requestBytes size of the request message; replyBytes of the reply (0 when none was sent)
 */
public record RpcEvent(
    long sequence,
    long startMillis,
    String peer,
    String method,
    long durationMicros,
    String outcome,
    long requestBytes,
    long replyBytes,
    String request,
    String reply) {

  /** One line of the log file: tab-separated, newlines in messages escaped, so each event is one line. */
  public String toLogLine() {
    return Instant.ofEpochMilli(startMillis) + "\t#" + sequence + "\t" + peer + "\t" + method + "\t" + durationMicros
        + "us\t" + outcome + "\tin=" + requestBytes + "B\tout=" + replyBytes + "B\t" + oneLine(request) + "\t"
        + oneLine(reply);
  }

  private static String oneLine(String text) {
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
  }
}
