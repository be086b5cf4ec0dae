package io.gfs.ha;

import java.util.UUID;

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
    // By hand rather than String.format: this runs on every call a client makes (issue 6's profile).
    StringBuilder b = new StringBuilder(methodName.length() + SEPARATOR.length() + 49).append(methodName)
        .append(SEPARATOR);
    hex16(b, clientIdHigh);
    hex16(b, clientIdLow);
    return b.append('.').append(Long.toHexString(callId)).toString();
  }

  /** {@code value} as 16 lower-case hex digits, zero-padded (what %016x writes). */
  private static void hex16(StringBuilder b, long value) {
    String digits = Long.toHexString(value);
    for (int i = digits.length(); i < 16; i++) {
      b.append('0');
    }
    b.append(digits);
  }

  /** The id in a tagged message name, or null when the name carries none (or a malformed one). */
  static RequestId parse(String messageName) {
    int at = messageName.indexOf(SEPARATOR);
    if (at < 0) {
      return null;
    }
    // 32 hex digits, '.', 1 to 16 hex digits, checked by hand (the master parses one per call; issue 6's profile).
    int start = at + SEPARATOR.length();
    int dot = start + 32;
    int end = messageName.length();
    if (end <= dot + 1 || end - dot - 1 > 16 || messageName.charAt(dot) != '.' || !lowerHex(messageName, start, dot)
        || !lowerHex(messageName, dot + 1, end)) {
      return null;
    }
    return new RequestId(Long.parseUnsignedLong(messageName, start, start + 16, 16),
        Long.parseUnsignedLong(messageName, start + 16, dot, 16),
        Long.parseUnsignedLong(messageName, dot + 1, end, 16) & Long.MAX_VALUE);
  }

  private static boolean lowerHex(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
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
