package io.gfs.common.web;

/**
 * HTML for the status pages, built as strings: {@link #escape} for every piece of data (paths, server ids and RPC
 * arguments are user data), and the shared page frame with the stylesheet and refresh script from the classpath.
 */
public final class Html {
  private Html() {}

  /** Text safe inside an element or a double-quoted attribute. */
  public static String escape(Object value) {
    String text = String.valueOf(value);
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * A whole page: title, a navigation line of (label, href) pairs, and the body (already HTML). The script reloads
   * the body every {@code refreshSeconds} (0: never) without reloading the page, so tables and charts stay current.
   */
  public static String page(String title, String[][] navigation, String body, int refreshSeconds) {
    StringBuilder out = new StringBuilder(body.length() + 1024);
    out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>").append(escape(title)).append("</title>")
        .append("<link rel=\"stylesheet\" href=\"/static/gfs.css\">")
        .append("<script src=\"/static/gfs.js\" defer></script></head>\n")
        .append("<body data-refresh-seconds=\"").append(refreshSeconds).append("\"><header><h1>")
        .append(escape(title)).append("</h1><nav>");
    for (String[] link : navigation) {
      out.append("<a href=\"").append(escape(link[1])).append("\">").append(escape(link[0])).append("</a>");
    }
    out.append("</nav></header>\n<main id=\"content\">").append(body).append("</main>\n</body></html>\n");
    return out.toString();
  }

  /** A section with a heading and an id (the tests and the navigation find sections by id). */
  public static String section(String id, String heading, String content) {
    return "<section id=\"" + escape(id) + "\"><h2>" + escape(heading) + "</h2>" + content + "</section>\n";
  }

  /** A table: header cells and rows of cells that are already HTML (escape data before passing it). */
  public static String table(String id, String[] headers, Iterable<String[]> rows, String emptyText) {
    StringBuilder out = new StringBuilder("<table id=\"").append(escape(id)).append("\"><thead><tr>");
    for (String header : headers) {
      out.append("<th>").append(escape(header)).append("</th>");
    }
    out.append("</tr></thead><tbody>");
    boolean any = false;
    for (String[] row : rows) {
      any = true;
      out.append("<tr>");
      for (String cell : row) {
        out.append("<td>").append(cell).append("</td>");
      }
      out.append("</tr>");
    }
    if (!any) {
      out.append("<tr class=\"empty\"><td colspan=\"").append(headers.length).append("\">")
          .append(escape(emptyText)).append("</td></tr>");
    }
    return out.append("</tbody></table>").toString();
  }

  /** A definition list of (label, value) pairs; values are escaped here. */
  public static String facts(String id, String[][] pairs) {
    StringBuilder out = new StringBuilder("<dl class=\"facts\" id=\"").append(escape(id)).append("\">");
    for (String[] pair : pairs) {
      out.append("<div><dt>").append(escape(pair[0])).append("</dt><dd>").append(escape(pair[1]))
          .append("</dd></div>");
    }
    return out.append("</dl>").toString();
  }
}
