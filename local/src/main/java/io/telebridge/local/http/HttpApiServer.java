package io.telebridge.local.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.telebridge.local.emulator.Ports;
import io.telebridge.local.lambda.FunctionError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local API Gateway: every {@code HttpApi} / {@code Api} event route of the template, served
 * on one loopback port by the JDK HTTP server (a virtual thread per request). A request becomes
 * the proxy event of its route's payload format ({@link ApiGatewayEvents}), the function's result
 * becomes the HTTP response. Unknown route: 404 {@code {"message":"Not Found"}}; a body over
 * 10 MB (the HTTP API limit): 413; a function error or timeout: 500
 * {@code {"message":"Internal Server Error"}} (502 for REST API routes).
 */
public final class HttpApiServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HttpApiServer.class);
  private static final Set<String> HOP_HEADERS = Set.of("content-length", "transfer-encoding", "connection", "date");

  private final HttpServer server;
  private final ExecutorService executor;
  private final List<ApiRoute> routes;
  private final String host;
  private final SigV4Verifier iam;
  private final SigV4Verifier.Identity browser;

  /** The path under which an unsigned request from this machine is the local developer (the console's pages). */
  public static final String CONSOLE_PATH = "/console";

  private HttpApiServer(HttpServer server, ExecutorService executor, List<ApiRoute> routes, String host,
      SigV4Verifier iam, SigV4Verifier.Identity browser) {
    this.server = server;
    this.executor = executor;
    this.routes = routes;
    this.host = host;
    this.iam = iam;
    this.browser = browser;
  }

  /** Without IAM credentials: {@code AWS_IAM} routes refuse every request. */
  public static HttpApiServer start(String host, int port, List<ApiRoute> routes) throws IOException {
    return start(host, port, routes, null);
  }

  /**
   * @param iam verifies the SigV4 signature of requests to {@code AWS_IAM} routes (API Gateway's IAM
   *     authorizer): missing, invalid or expired → 403 {@code {"message":"Forbidden"}}
   */
  public static HttpApiServer start(String host, int port, List<ApiRoute> routes, SigV4Verifier iam)
      throws IOException {
    return start(host, port, routes, iam, null);
  }

  /**
   * @param browser local-only console sign-in: an unsigned request (no {@code Authorization}) from a loopback
   *     address to an {@code AWS_IAM} route under {@value #CONSOLE_PATH} is this identity, as if a browser's
   *     requests had been signed with the local stack's credentials; {@code null}: none (every such request 403)
   */
  public static HttpApiServer start(String host, int port, List<ApiRoute> routes, SigV4Verifier iam,
      SigV4Verifier.Identity browser) throws IOException {
    List<ApiRoute> ordered = new ArrayList<>(routes);
    ordered.sort(Comparator.comparingInt(ApiRoute::specificity));
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 0);
    } catch (java.net.BindException e) {
      throw new IOException("the local API cannot listen on " + host + ":" + port + " (port in use?)", e);
    }
    ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("api-", 0).factory());
    server.setExecutor(executor);
    HttpApiServer api = new HttpApiServer(server, executor, List.copyOf(ordered), host, iam, browser);
    server.createContext("/", api::handle);
    server.start();
    LOG.info("local API on {} with {} route(s)", api.baseUrl(), ordered.size());
    return api;
  }

  public URI baseUrl() {
    return URI.create("http://" + Ports.uriHost(host) + ":" + port());
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public List<ApiRoute> routes() {
    return routes;
  }

  private void handle(HttpExchange exchange) throws IOException {
    long started = System.nanoTime();
    String requestId = ApiGatewayEvents.newRequestId();
    ApiGatewayEvents.ApiResponse response;
    String routeKey = exchange.getRequestMethod() + " (no route)";
    try {
      byte[] body = readBody(exchange);
      if (body == null) {
        response = ApiGatewayEvents.tooLarge();
      } else {
        ApiRequest request = toRequest(exchange, body);
        ApiRoute route = null;
        Map<String, String> params = null;
        for (ApiRoute candidate : routes) {
          if (!candidate.matchesMethod(request.method())) {
            continue;
          }
          params = candidate.match(request.rawPath());
          if (params != null) {
            route = candidate;
            break;
          }
        }
        if (route == null) {
          response = ApiGatewayEvents.notFound();
        } else {
          routeKey = route.routeKey();
          SigV4Verifier.Identity caller = null;
          boolean forbidden = false;
          if (route.requiresIam() && consoleBrowser(request)) {
            caller = browser;
          } else if (route.requiresIam()) {
            SigV4Verifier.Result verified = iam == null
                ? new SigV4Verifier.Result(null, "no IAM credentials configured") : iam.verify(request);
            if (verified.accepted()) {
              caller = verified.identity();
            } else {
              forbidden = true;
              LOG.info("{}: IAM authorization refused ({}), apigw request {}", routeKey, verified.refusal(), requestId);
            }
          } else if (route.unsupportedAuthorizer()) {
            forbidden = true;
            LOG.info("{}: authorizer {} is not emulated locally; refused", routeKey, route.authorizer());
          }
          response = forbidden ? ApiGatewayEvents.forbidden() : invoke(route, request, params, requestId, caller);
        }
      }
    } catch (RuntimeException e) {
      LOG.error("local API: request {} failed in the emulator: {}", requestId, e.getClass().getName(), e);
      response = ApiGatewayEvents.ApiResponse.json(500, "{\"message\":\"Internal Server Error\"}");
    }
    write(exchange, response, requestId);
    LOG.info("{} -> {} in {} ms (apigw request {})", routeKey,
        response.status(), (System.nanoTime() - started) / 1_000_000, requestId);
  }

  /** An unsigned console page request from this machine, with local console sign-in on. */
  private boolean consoleBrowser(ApiRequest request) {
    if (browser == null || request.header("Authorization") != null) {
      return false;
    }
    String path = request.rawPath();
    if (!path.equals(CONSOLE_PATH) && !path.startsWith(CONSOLE_PATH + "/")) {
      return false;
    }
    try {
      return InetAddress.getByName(request.sourceIp()).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private ApiGatewayEvents.ApiResponse invoke(ApiRoute route, ApiRequest request, Map<String, String> params,
      String requestId, SigV4Verifier.Identity caller) {
    Instant now = Instant.now();
    byte[] event = route.apiType().equals("HttpApi") && !"1.0".equals(route.payloadFormatVersion())
        ? ApiGatewayEvents.httpApiV2Event(request, route, params, requestId, now, caller)
        : ApiGatewayEvents.proxyV1Event(request, route, params, requestId, now, caller);
    try {
      byte[] result = route.function().invoke(event);
      return ApiGatewayEvents.toResponse(result, route);
    } catch (FunctionError e) {
      return ApiGatewayEvents.functionFailed(route);
    }
  }

  /** The body, or {@code null} when it is larger than the HTTP API limit. */
  private static byte[] readBody(HttpExchange exchange) throws IOException {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > ApiGatewayEvents.MAX_BODY_BYTES) {
          return null;
        }
      } catch (NumberFormatException e) {
        // let the read decide
      }
    }
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes((int) ApiGatewayEvents.MAX_BODY_BYTES + 1);
      return body.length > ApiGatewayEvents.MAX_BODY_BYTES ? null : body;
    }
  }

  private static ApiRequest toRequest(HttpExchange exchange, byte[] body) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
    URI uri = exchange.getRequestURI();
    String rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return new ApiRequest(
        exchange.getRequestMethod().toUpperCase(Locale.ROOT),
        rawPath,
        uri.getRawQuery(),
        headers,
        body,
        exchange.getRemoteAddress().getAddress().getHostAddress(),
        exchange.getProtocol(),
        exchange.getLocalAddress().getPort());
  }

  private static void write(HttpExchange exchange, ApiGatewayEvents.ApiResponse response, String requestId)
      throws IOException {
    var out = exchange.getResponseHeaders();
    for (Map.Entry<String, List<String>> h : response.headers().entrySet()) {
      if (HOP_HEADERS.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        continue;
      }
      for (String v : h.getValue()) {
        out.add(h.getKey(), v);
      }
    }
    out.set("Apigw-Requestid", requestId);
    byte[] body = response.body();
    boolean noBody = body.length == 0 || exchange.getRequestMethod().equalsIgnoreCase("HEAD")
        || response.status() == 204 || response.status() == 304;
    exchange.sendResponseHeaders(response.status(), noBody ? -1 : body.length);
    if (!noBody) {
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(body);
      }
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    LOG.info("local API stopped");
  }
}
