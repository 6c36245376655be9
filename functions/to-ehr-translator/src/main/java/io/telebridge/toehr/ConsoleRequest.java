package io.telebridge.toehr;

import static io.telebridge.toehr.ConsoleHtml.url;

import io.telebridge.aws.lambda.HttpApiRequest;
import io.telebridge.aws.lambda.HttpApiResponse;
import io.telebridge.core.http.FormFields;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The console's HTTP side: what one request brought (who, where, its form, its CSRF cookie), the request
 * refused ({@link Refused}), and the responses (an HTML page, a 303 back to a page). Parsing only; the
 * gate (identity, tenants, CSRF) is {@link ConsoleHandler#handleRequest}.
 *
 * @param path the path's segments after {@code console}
 */
record ConsoleRequest(String method, List<String> path, Map<String, String> query, Map<String, List<String>> form,
    String caller, Set<String> tenants, String csrf, boolean newCsrf, String requestId) {

  /** An id as the console accepts it in a path or form (event id, MSH-10, case id, person id…). */
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:|#^-]{0,255}");
  static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{20,100}");
  private static final SecureRandom RANDOM = new SecureRandom();

  String q(String name) {
    String v = query.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  String f(String name) {
    List<String> v = form.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** A request refused with a status and a plain message (no PHI). */
  static final class Refused extends RuntimeException {
    private final int status;

    Refused(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  static <T> T notFound() {
    throw new Refused(404, "no such page");
  }

  /** The id, or 404 (an id the console would never have linked to). */
  static String checked(String id) {
    if (!ID.matcher(id).matches()) {
      throw new Refused(404, "no such case");
    }
    return id;
  }

  HttpApiResponse page(String active, String title, StringBuilder body) {
    return html(200, ConsoleHtml.page(active, title, caller, q("done"), q("error"), body.toString()));
  }

  /** 303 to a console page with a one-line message (post/redirect/get). */
  static HttpApiResponse redirect(String to, String done, String error) {
    StringBuilder location = new StringBuilder(to);
    if (done != null) {
      location.append(to.contains("?") ? '&' : '?').append("done=").append(url(done));
    }
    if (error != null) {
      location.append(location.indexOf("?") >= 0 ? '&' : '?').append("error=").append(url(error));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Location", location.toString());
    headers.put("Cache-Control", "no-store");
    return HttpApiResponse.of(303, headers, "");
  }

  static HttpApiResponse html(int status, String html) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "text/html; charset=utf-8");
    headers.put("Cache-Control", "no-store");
    headers.put("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self';"
        + " frame-ancestors 'none'; base-uri 'none'");
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("Referrer-Policy", "no-referrer");
    headers.put("X-Frame-Options", "DENY");
    return HttpApiResponse.of(status, headers, html);
  }

  static String newToken() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static String cookie(HttpApiRequest event, String name) {
    List<String> cookies = new ArrayList<>();
    if (event != null && event.cookies() != null) {
      cookies.addAll(event.cookies());
    }
    String header = event == null ? null : header(event, "cookie");
    if (header != null) {
      cookies.addAll(List.of(header.split(";")));
    }
    for (String c : cookies) {
      for (String part : c.split(";")) {
        String s = part.strip();
        if (s.startsWith(name + "=")) {
          return s.substring(name.length() + 1);
        }
      }
    }
    return null;
  }

  static String header(HttpApiRequest event, String name) {
    if (event.headers() == null) {
      return null;
    }
    for (Map.Entry<String, String> h : event.headers().entrySet()) {
      if (h.getKey().equalsIgnoreCase(name)) {
        return h.getValue();
      }
    }
    return null;
  }

  /**
   * A POST another site made the browser send is refused: the browser says so in {@code Sec-Fetch-Site},
   * which no page can set. (Origin is not compared with Host: behind a signing proxy they differ.)
   */
  static void checkSameOrigin(HttpApiRequest event) {
    String site = header(event, "sec-fetch-site");
    if (site != null && !site.equals("same-origin") && !site.equals("none")) {
      throw new Refused(403, "a cross-site form post is refused");
    }
  }

  static boolean secure(HttpApiRequest event) {
    String proto = event == null ? null : header(event, "x-forwarded-proto");
    if (proto != null) {
      return proto.equalsIgnoreCase("https");
    }
    String host = event == null ? null : header(event, "host");
    return host == null || !(host.startsWith("127.") || host.startsWith("localhost") || host.startsWith("[::1]"));
  }

  static Map<String, String> query(HttpApiRequest event) {
    return event.queryStringParameters() == null ? Map.of() : event.queryStringParameters();
  }

  /** An {@code application/x-www-form-urlencoded} body (text or base64), every value kept. */
  static Map<String, List<String>> form(HttpApiRequest event) {
    String raw = event.body();
    if (raw == null) {
      return Map.of();
    }
    if (raw.length() > 64 * 1024) {
      throw new Refused(413, "the form is too large");
    }
    String text = event.isBase64Encoded() ? new String(Base64.getDecoder().decode(raw), StandardCharsets.UTF_8) : raw;
    return FormFields.parse(text);
  }

  static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    for (String s : rawPath.split("/")) {
      if (!s.isEmpty()) {
        out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
