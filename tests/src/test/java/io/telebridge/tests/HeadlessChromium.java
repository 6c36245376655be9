package io.telebridge.tests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real browser for the console's tests: Debian's {@code chromium}, headless, driven over the Chrome
 * DevTools Protocol (the JDK's WebSocket client; no driver, no extra dependency). Pages load, forms
 * submit and cookies travel as in any browser; the test reads the DOM with script and clicks elements.
 */
final class HeadlessChromium implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  /** The browser's path: {@code $CHROMIUM}, else the first of chromium / chromium-browser / google-chrome on the PATH. */
  static Path find() {
    List<String> names = new ArrayList<>();
    String env = System.getenv("CHROMIUM");
    if (env != null && !env.isBlank()) {
      names.add(env);
    }
    names.addAll(List.of("chromium", "chromium-browser", "google-chrome"));
    for (String name : names) {
      Path p = Path.of(name);
      if (p.isAbsolute() && Files.isExecutable(p)) {
        return p;
      }
      for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    return null;
  }

  static HeadlessChromium start(Path binary) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("tb-chromium-");
    Process process = new ProcessBuilder(binary.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
        "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--remote-allow-origins=*",
        "--window-size=1280,900", "--user-data-dir=" + profile, "about:blank")
        .redirectErrorStream(true).start();
    String port = null;
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + WAIT.toNanos();
    String line;
    List<String> seen = new ArrayList<>();
    while (port == null && System.nanoTime() < deadline && (line = out.readLine()) != null) {
      seen.add(line);
      int at = line.indexOf("DevTools listening on ws://127.0.0.1:");
      if (at >= 0) {
        String rest = line.substring(at + "DevTools listening on ws://127.0.0.1:".length());
        port = rest.substring(0, rest.indexOf('/'));
      }
    }
    if (port == null) {
      process.destroyForcibly();
      throw new IOException("chromium did not start its DevTools endpoint: " + seen);
    }
    Thread.ofVirtual().start(() -> drain(out)); // keep its output flowing
    HttpClient http = HttpClient.newHttpClient();
    String wsUrl = null;
    while (wsUrl == null && System.nanoTime() < deadline) {
      HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
          .build(), HttpResponse.BodyHandlers.ofString());
      for (JsonNode target : JSON.readTree(list.body())) {
        if ("page".equals(target.path("type").asString())) {
          wsUrl = target.path("webSocketDebuggerUrl").asString();
          break;
        }
      }
      if (wsUrl == null) {
        Thread.sleep(100);
      }
    }
    if (wsUrl == null) {
      process.destroyForcibly();
      throw new IOException("chromium has no page target");
    }
    return new HeadlessChromium(process, profile, http, wsUrl);
  }

  private HeadlessChromium(Process process, Path profile, HttpClient http, String wsUrl) {
    this.process = process;
    this.profile = profile;
    this.socket = http.newWebSocketBuilder().buildAsync(URI.create(wsUrl), new Listener()).join();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        JsonNode message = JSON.readTree(partial.toString());
        partial.setLength(0);
        if (message.has("id")) {
          CompletableFuture<JsonNode> f = pending.remove(message.get("id").asInt());
          if (f != null) {
            f.complete(message);
          }
        }
      }
      webSocket.request(1);
      return null;
    }
  }

  private static void drain(BufferedReader out) {
    try {
      while (out.readLine() != null) {
        // discard
      }
    } catch (IOException ignored) {
      // the browser has gone
    }
  }

  /** One DevTools command; its result, or an exception with the protocol's error. */
  JsonNode call(String method, ObjectNode params) {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", params == null ? JSON.createObjectNode() : params);
    socket.sendText(message.toString(), true).join();
    JsonNode reply;
    try {
      reply = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("DevTools " + method + " got no answer", e);
    }
    if (reply.has("error")) {
      throw new IllegalStateException("DevTools " + method + ": " + reply.get("error"));
    }
    return reply.path("result");
  }

  /** Opens a URL and waits for the page to be loaded. */
  void open(String url) {
    call("Page.navigate", JSON.createObjectNode().put("url", url));
    waitLoaded(url);
  }

  /** Evaluates script in the page; its value (JSON). */
  JsonNode eval(String script) {
    JsonNode r = call("Runtime.evaluate", JSON.createObjectNode().put("expression", script).put("returnByValue", true)
        .put("awaitPromise", true));
    if (r.has("exceptionDetails")) {
      throw new IllegalStateException("script failed: " + r.get("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  String text(String selector) {
    return eval("(document.querySelector(" + quote(selector) + ")||{}).innerText||''").asString("");
  }

  String location() {
    return eval("location.href").asString("");
  }

  /** Clicks an element (a real DOM click: a submit button submits its form) and waits for the next page. */
  void clickAndWait(String selector) {
    String before = eval("document.documentElement.dataset.tbPage = 'old'; location.href").asString("");
    JsonNode clicked = eval("(() => { const e = document.querySelector(" + quote(selector) + "); if (!e) return false;"
        + " e.click(); return true; })()");
    if (!clicked.asBoolean(false)) {
      throw new IllegalStateException("nothing matches " + selector + " on " + before);
    }
    await("the page after clicking " + selector, () -> {
      try {
        JsonNode state = eval("[document.readyState, (document.documentElement && document.documentElement.dataset.tbPage)"
            + " || '', !!document.body]");
        return "complete".equals(state.get(0).asString()) && !"old".equals(state.get(1).asString())
            && state.get(2).asBoolean();
      } catch (IllegalStateException navigating) {
        return false; // the old page is gone, the new one not there yet
      }
    });
  }

  void waitLoaded(String url) {
    await("the page " + url, () -> "complete".equals(eval("document.readyState").asString(""))
        && !"about:blank".equals(location()));
  }

  void screenshot(Path file) throws IOException {
    JsonNode shot = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png")
        .put("captureBeyondViewport", true));
    Files.createDirectories(file.getParent());
    Files.write(file, Base64.getDecoder().decode(shot.path("data").asString()));
  }

  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }

  static String quote(String s) {
    return JSON.getNodeFactory().textNode(s).toString();
  }

  @Override
  public void close() {
    try {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(2, TimeUnit.SECONDS).join();
    } catch (RuntimeException ignored) {
      // the browser goes anyway
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory
    }
  }
}
