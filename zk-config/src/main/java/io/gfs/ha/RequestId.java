package io.gfs.ha;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names one logical call of one client to the master (issue 4), as HDFS's RPC header does with its clientId and
 * callId: the client gives a call one id and sends it again on every retry, also to the next master after a failover,
 * so the master's retry cache recognises a call it already applied and answers with the original outcome.
 *
 * <p>On the wire it rides outside the method's arguments (so no method signature changed): the Thrift message name
 * gets a suffix, {@code create} becomes {@code create#rid=<32 hex digits of the client id>.<call id in hex>}, added by
 * {@link RequestIdProtocol} on the client and removed by {@link RequestIdProcessor} on the master before dispatch.
 */
public record RequestId(long clientIdHigh, long clientIdLow, long callId) {
  static final String SEPARATOR = "#rid=";
  private static final Pattern SUFFIX = Pattern.compile("([0-9a-f]{16})([0-9a-f]{16})\\.([0-9a-f]{1,16})");

  public RequestId {
    if (callId < 0) {
      throw new IllegalArgumentException("call id " + callId + " < 0");
    }
  }

  /** A client id for one client instance: random, so two clients never share one. */
  public static RequestId firstOf(UUID clientId) {
    return new RequestId(clientId.getMostSignificantBits(), clientId.getLeastSignificantBits(), 0);
  }

  /** The same client's call number {@code callId}. */
  public RequestId withCallId(long callId) {
    return new RequestId(clientIdHigh, clientIdLow, callId);
  }

  /** The message name carrying this id. */
  String tag(String methodName) {
    return methodName + SEPARATOR + String.format(Locale.ROOT, "%016x%016x.%x", clientIdHigh, clientIdLow, callId);
  }

  /** The id in a tagged message name, or null when the name carries none (or a malformed one). */
  static RequestId parse(String messageName) {
    int at = messageName.indexOf(SEPARATOR);
    if (at < 0) {
      return null;
    }
    Matcher m = SUFFIX.matcher(messageName.substring(at + SEPARATOR.length()));
    if (!m.matches()) {
      return null;
    }
    return new RequestId(Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16),
        Long.parseUnsignedLong(m.group(3), 16) & Long.MAX_VALUE);
  }

  /** The method name without a request id suffix. */
  static String methodName(String messageName) {
    int at = messageName.indexOf(SEPARATOR);
    return at < 0 ? messageName : messageName.substring(0, at);
  }

  @Override
  public String toString() {
    return tag("").substring(SEPARATOR.length());
  }
}
