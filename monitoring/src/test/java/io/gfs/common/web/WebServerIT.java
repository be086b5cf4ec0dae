package io.gfs.common.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.HostPort;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebServerIT {
  private WebServer server;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeEach
  void start() throws Exception {
    server = WebServer.start("test", new HostPort("127.0.0.1", 0));
    server.route("/", request -> WebResponse.html(Html.page("t", new String[0][], Html.escape(
        request.parameter("q", "none")), 0)));
    server.route("/boom", request -> {
      throw new IllegalStateException("broken page");
    });
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path, String method) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + path.substring(1)))
        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesPagesWithSafetyHeadersAndEscapedParameters() throws Exception {
    HttpResponse<String> page = get("/?q=%3Cb%3E", "GET");
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("&lt;b&gt;"), page.body());
    assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
    assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));
  }

  @Test
  void servesTheSharedStaticFilesAndNothingElse() throws Exception {
    HttpResponse<String> css = get("/static/gfs.css", "GET");
    assertEquals(200, css.statusCode());
    assertTrue(css.headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
    assertEquals(200, get("/static/gfs.js", "GET").statusCode());
    assertEquals(404, get("/static/..%2Fweb%2FWebServer.class", "GET").statusCode());
    assertEquals(404, get("/static/nothing.css", "GET").statusCode());
  }

  @Test
  void answersUnknownPagesMethodsAndFailuresWithoutDying() throws Exception {
    assertEquals(404, get("/nothing", "GET").statusCode());
    assertEquals(405, get("/", "POST").statusCode());
    assertEquals(500, get("/boom", "GET").statusCode());
    assertEquals(200, get("/", "HEAD").statusCode());
    assertEquals(200, get("/", "GET").statusCode()); // still serving
  }
}
