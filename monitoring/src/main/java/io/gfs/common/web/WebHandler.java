package io.gfs.common.web;

/** One page or endpoint; runs on the web server's threads, so it reads state the way any other reader does. */
@FunctionalInterface
public interface WebHandler {
  WebResponse handle(WebRequest request) throws Exception;
}
