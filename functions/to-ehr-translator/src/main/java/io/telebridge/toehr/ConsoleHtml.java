package io.telebridge.toehr;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The console's HTML: one page frame (navigation, no script, no external resource) and escaping. Every
 * value that did not come from this class goes through {@link #esc} (text and attribute values alike) or
 * {@link #url} (a path segment or query value).
 */
final class ConsoleHtml {

  /** The navigation, in order; "Flows" is the place of the per-flow switches (issue 14 §6). */
  static final String[][] NAV = {
      {"overview", "/console", "Overview"},
      {"queues", "/console/queues", "Queues"},
      {"reviews", "/console/reviews", "Review"},
      {"trace", "/console/trace", "Trace"},
      {"metrics", "/console/metrics", "Metrics"},
      {"flows", "/console/flows", "Flows"}};

  private static final String STYLE = """
      body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2733}
      header{background:#1d3557;color:#fff;padding:8px 16px;display:flex;gap:16px;align-items:center}
      header a{color:#fff;text-decoration:none;padding:4px 8px;border-radius:4px}
      header a.on{background:#457b9d}
      header .who{margin-left:auto;font-size:12px;opacity:.8}
      main{padding:16px}
      table{border-collapse:collapse;margin:8px 0}
      th,td{border:1px solid #ccd;padding:4px 8px;text-align:left;vertical-align:top}
      th{background:#eef}
      .flash{background:#e6f4ea;border:1px solid #8c8;padding:8px;margin-bottom:12px}
      .error{background:#fdecea;border:1px solid #c88;padding:8px;margin-bottom:12px}
      .case{border:1px solid #99a;padding:8px;margin:12px 0}
      .side{display:flex;gap:12px;flex-wrap:wrap}
      .side>div{border:1px solid #ccd;padding:8px;min-width:220px}
      .redacted{color:#777;font-style:italic}
      .num{text-align:right}
      pre{background:#f6f6f6;padding:8px;white-space:pre-wrap}
      form.inline{display:inline}
      """;

  private ConsoleHtml() {}

  static String esc(Object value) {
    if (value == null) {
      return "";
    }
    String s = value.toString();
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t') {
            b.append("&#").append((int) (c == '\r' ? '\n' : c)).append(';');
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  static String url(String value) {
    return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A hidden CSRF field for a POST form. */
  static String csrfField(String token) {
    return "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(token) + "\">";
  }

  static String page(String active, String title, String caller, String flash, String error, String body) {
    StringBuilder b = new StringBuilder(4096);
    b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>telebridge console · ")
        .append(esc(title)).append("</title><style>").append(STYLE).append("</style></head><body><header>")
        .append("<strong>telebridge</strong><nav>");
    for (String[] item : NAV) {
      b.append("<a id=\"nav-").append(item[0]).append("\" href=\"").append(item[1]).append('"')
          .append(item[0].equals(active) ? " class=\"on\"" : "").append('>').append(item[2]).append("</a> ");
    }
    b.append("</nav><span class=\"who\">").append(esc(caller)).append("</span></header><main><h1>").append(esc(title))
        .append("</h1>");
    if (flash != null && !flash.isEmpty()) {
      b.append("<div class=\"flash\" id=\"flash\">").append(esc(flash)).append("</div>");
    }
    if (error != null && !error.isEmpty()) {
      b.append("<div class=\"error\" id=\"error\">").append(esc(error)).append("</div>");
    }
    b.append(body).append("</main></body></html>");
    return b.toString();
  }
}
