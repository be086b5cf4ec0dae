package io.gfs.common;

/** A host and a TCP port, as servers advertise themselves and configuration names them. */
public record HostPort(String host, int port) implements Comparable<HostPort> {
  public HostPort {
    Check.argument(host != null && !host.isBlank(), "empty host");
    Check.argument(port >= 0 && port <= 65535, "port %s outside [0, 65535]", port);
  }

  public static HostPort parse(String text) {
    Check.argument(text != null, "null address");
    int colon = text.lastIndexOf(':');
    Check.argument(colon > 0 && colon < text.length() - 1, "'%s' is not host:port", text);
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' has no numeric port");
    }
    return new HostPort(host, port);
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }

  @Override
  public int compareTo(HostPort other) {
    int c = host.compareTo(other.host);
    return c != 0 ? c : Integer.compare(port, other.port);
  }
}
