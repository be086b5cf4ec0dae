package io.gfs.common.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gfs.common.Check;
import io.gfs.common.HostPort;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's status pages, JSON endpoints and /metrics over HTTP, on the JDK's own HTTP server (no dependency): GET
 * and HEAD only, exact paths registered by the server, and the shared static files (stylesheet, refresh script) from
 * the classpath under /static/. It only reads: nothing here changes the file system. Few threads and a short queue,
 * so a busy browser or scraper can never take threads from the RPC service; a full queue answers 503.
 */
public final class WebServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
  static final int THREADS = 2;
  static final int QUEUE_LENGTH_MAX = 64;
  static final String STATIC_PREFIX = "/static/";
  private static final String STATIC_RESOURCES = "io/gfs/common/web/static/";
  private static final Pattern STATIC_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");
  private static final long STATIC_BYTES_MAX = 1 << 20;
  /** Pages may load only this server's own files: inline data cannot run as script. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
      + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  private final String name;
  private final HttpServer server;
  private final ThreadPoolExecutor threads;
  private final Map<String, WebHandler> routes = new ConcurrentHashMap<>();
  private final HostPort address;

  private WebServer(String name, HostPort bind) throws IOException {
    this.name = name;
    this.server = HttpServer.create(new InetSocketAddress(bind.host(), bind.port()), QUEUE_LENGTH_MAX);
    AtomicInteger count = new AtomicInteger();
    this.threads = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(QUEUE_LENGTH_MAX), r -> {
          Thread t = new Thread(r, name + "-web-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, (rejected, pool) -> LOG.debug("{}: web queue full, request dropped", name));
    server.setExecutor(threads);
    server.createContext("/", this::serve);
    this.address = new HostPort(bind.host(), server.getAddress().getPort());
  }

  /** Binds (port 0 picks a free one) and serves; add pages with {@link #route}. */
  public static WebServer start(String name, HostPort bind) throws IOException {
    Check.notNull(bind, "bind");
    WebServer web;
    try {
      web = new WebServer(name, bind);
    } catch (IOException e) {
      throw new IOException(name + ": cannot serve HTTP on " + bind + ": " + e.getMessage(), e);
    }
    web.server.start();
    LOG.info("{} status pages on http://{}/", name, web.address);
    return web;
  }

  /** Serves {@code path} (exact match, e.g. "/" or "/api/overview") with the handler; a later route replaces it. */
  public WebServer route(String path, WebHandler handler) {
    Check.argument(path.startsWith("/") && !path.startsWith(STATIC_PREFIX), "route %s", path);
    routes.put(path, Check.notNull(handler, "handler"));
    return this;
  }

  /** The bound address, with the real port when 0 was asked for. */
  public HostPort address() {
    return address;
  }

  /** http://host:port/ of this server. */
  public String url() {
    return "http://" + address + "/";
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      WebResponse response;
      if (!method.equals("GET") && !method.equals("HEAD")) {
        response = WebResponse.text(405, WebResponse.TEXT, "only GET and HEAD\n");
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      } else {
        response = respond(WebRequest.of(exchange.getRequestURI()));
      }
      send(exchange, response, method.equals("HEAD"));
    } catch (IOException e) {
      LOG.debug("{}: web client went away: {}", name, e.toString());
    }
  }

  private WebResponse respond(WebRequest request) {
    if (request.path().startsWith(STATIC_PREFIX)) {
      return staticFile(request.path().substring(STATIC_PREFIX.length()));
    }
    WebHandler handler = routes.get(request.path());
    if (handler == null) {
      return WebResponse.text(404, WebResponse.TEXT, "no page " + request.path() + "\n");
    }
    try {
      return handler.handle(request);
    } catch (Exception e) {
      LOG.warn("{}: page {} failed", name, request.path(), e);
      return WebResponse.text(500, WebResponse.TEXT, "the page failed: " + e + "\n");
    }
  }

  private static WebResponse staticFile(String fileName) {
    if (!STATIC_NAME.matcher(fileName).matches() || fileName.contains("..")) {
      return WebResponse.text(404, WebResponse.TEXT, "no such file\n");
    }
    String type = fileName.endsWith(".css") ? "text/css; charset=utf-8"
        : fileName.endsWith(".js") ? "text/javascript; charset=utf-8"
        : fileName.endsWith(".svg") ? "image/svg+xml" : fileName.endsWith(".png") ? "image/png" : null;
    try (InputStream in = WebServer.class.getClassLoader().getResourceAsStream(STATIC_RESOURCES + fileName)) {
      if (type == null || in == null) {
        return WebResponse.text(404, WebResponse.TEXT, "no such file\n");
      }
      byte[] body = in.readNBytes((int) STATIC_BYTES_MAX);
      return new WebResponse(200, type, body);
    } catch (IOException e) {
      return WebResponse.text(500, WebResponse.TEXT, "cannot read " + fileName + "\n");
    }
  }

  private static void send(HttpExchange exchange, WebResponse response, boolean headOnly) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", response.contentType());
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange.getResponseHeaders().set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
    if (headOnly) {
      exchange.sendResponseHeaders(response.status(), -1);
      return;
    }
    exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(response.body());
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
    LOG.info("{} status pages stopped", name);
  }
}
