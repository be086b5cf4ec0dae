package io.gfs.common.web;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A GET request as a page handler sees it: the path and the decoded query parameters (the first of each name). */
public record WebRequest(String path, Map<String, String> query) {
  /** Query parameters kept at most; a longer query string is cut (the pages take one or two). */
  static final int QUERY_PARAMETERS_MAX = 32;

  public WebRequest {
    query = Map.copyOf(query);
  }

  static WebRequest of(URI uri) {
    Map<String, String> query = new LinkedHashMap<>();
    String raw = uri.getRawQuery();
    if (raw != null && !raw.isEmpty()) {
      for (String pair : raw.split("&")) {
        if (query.size() >= QUERY_PARAMETERS_MAX) {
          break;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        query.putIfAbsent(name, value);
      }
    }
    return new WebRequest(uri.getPath() == null ? "/" : uri.getPath(), query);
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text; // a malformed escape is kept as typed: the handler sees (and escapes) it like any other value
    }
  }

  /** The parameter, or {@code fallback} when absent or empty. */
  public String parameter(String name, String fallback) {
    String value = query.get(name);
    return value == null || value.isEmpty() ? fallback : value;
  }
}
