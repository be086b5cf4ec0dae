package io.gfs.common.web;

import io.gfs.common.Check;
import java.nio.charset.StandardCharsets;

/** What a handler answers: status, content type and the whole body (status pages are small). */
public record WebResponse(int status, String contentType, byte[] body) {
  public static final String HTML = "text/html; charset=utf-8";
  public static final String JSON = "application/json; charset=utf-8";
  public static final String TEXT = "text/plain; charset=utf-8";

  public WebResponse {
    Check.argument(status >= 100 && status <= 599, "HTTP status %s", status);
    Check.notNull(contentType, "contentType");
    Check.notNull(body, "body");
  }

  public static WebResponse html(String page) {
    return new WebResponse(200, HTML, page.getBytes(StandardCharsets.UTF_8));
  }

  public static WebResponse json(Json json) {
    return new WebResponse(200, JSON, json.toString().getBytes(StandardCharsets.UTF_8));
  }

  public static WebResponse text(int status, String contentType, String text) {
    return new WebResponse(status, contentType, text.getBytes(StandardCharsets.UTF_8));
  }
}
