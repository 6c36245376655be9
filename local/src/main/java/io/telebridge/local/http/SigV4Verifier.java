package io.telebridge.local.http;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 4 ({@code Authorization: AWS4-HMAC-SHA256 ...} header form) the way
 * API Gateway's IAM authorizer does, against the local stack's credentials: the canonical request
 * (method, path URI-encoded a second time as the SDK does for non-S3 services, canonical query,
 * signed headers, SHA-256 of the body received), the string to sign, the HMAC chain
 * {@code AWS4<secret> → date → region → service → aws4_request}, a constant-time comparison, and
 * {@code x-amz-date} within ±5 minutes. Presigned query-string requests are not supported (refused).
 * Reasons are for the local log only; the caller gets API Gateway's plain 403.
 */
public final class SigV4Verifier {

  private static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final Pattern AUTHORIZATION = Pattern.compile(
      "AWS4-HMAC-SHA256\\s+Credential=([^,\\s]+)\\s*,\\s*SignedHeaders=([^,\\s]+)\\s*,\\s*Signature=([0-9a-f]{64})\\s*");

  /** A key pair the local stack hands out, with the identity API Gateway reports for it. */
  public record Credentials(String accessKey, String secretKey, String accountId, String userArn, String callerId) {
    @Override
    public String toString() {
      return "Credentials[accessKey=" + accessKey + ", userArn=" + userArn + ", ***]";
    }
  }

  /** What goes into {@code requestContext.authorizer.iam}. */
  public record Identity(String accessKey, String accountId, String userArn, String callerId) {}

  /** The outcome: {@code identity} when accepted, else the reason (for the log). */
  public record Result(Identity identity, String refusal) {
    public boolean accepted() {
      return identity != null;
    }

    static Result refused(String why) {
      return new Result(null, why);
    }
  }

  private final Map<String, Credentials> byAccessKey = new LinkedHashMap<>();
  private final String region;
  private final String service;
  private final Duration skew;
  private final Clock clock;

  public SigV4Verifier(List<Credentials> credentials, String region, String service, Duration skew, Clock clock) {
    credentials.forEach(c -> byAccessKey.put(c.accessKey(), c));
    this.region = region;
    this.service = service;
    this.skew = skew;
    this.clock = clock;
  }

  /** API Gateway's: service {@code execute-api}, ±5 minutes. */
  public static SigV4Verifier forApiGateway(List<Credentials> credentials, String region) {
    return new SigV4Verifier(credentials, region, "execute-api", Duration.ofMinutes(5), Clock.systemUTC());
  }

  public Result verify(ApiRequest request) {
    String authorization = request.header("Authorization");
    if (authorization == null || authorization.isBlank()) {
      return Result.refused("no Authorization header");
    }
    Matcher m = AUTHORIZATION.matcher(authorization.strip());
    if (!m.matches()) {
      return Result.refused("Authorization is not " + ALGORITHM + " with Credential, SignedHeaders, Signature");
    }
    String[] scope = m.group(1).split("/");
    if (scope.length != 5 || !scope[4].equals("aws4_request")) {
      return Result.refused("malformed credential scope");
    }
    Credentials credentials = byAccessKey.get(scope[0]);
    if (credentials == null) {
      return Result.refused("unknown access key");
    }
    if (!scope[2].equals(region) || !scope[3].equals(service)) {
      return Result.refused("credential scope is not " + region + "/" + service);
    }
    String amzDate = request.header("X-Amz-Date");
    if (amzDate == null) {
      return Result.refused("no X-Amz-Date header");
    }
    Instant signedAt;
    try {
      signedAt = Instant.from(AMZ_DATE.parse(amzDate.strip()));
    } catch (DateTimeParseException e) {
      return Result.refused("X-Amz-Date is not yyyyMMddTHHmmssZ");
    }
    if (Duration.between(signedAt, clock.instant()).abs().compareTo(skew) > 0) {
      return Result.refused("X-Amz-Date is more than " + skew.toMinutes() + " minutes off");
    }
    if (!amzDate.strip().startsWith(scope[1])) {
      return Result.refused("credential scope date differs from X-Amz-Date");
    }
    List<String> signedHeaders = List.of(m.group(2).split(";"));
    if (!signedHeaders.contains("host")) {
      return Result.refused("the host header is not signed");
    }
    String payloadHash = hex(sha256(request.body() == null ? new byte[0] : request.body()));
    String declared = request.header("X-Amz-Content-Sha256");
    if (declared != null && !declared.strip().equals(payloadHash)) {
      return Result.refused("X-Amz-Content-Sha256 does not match the body");
    }
    StringBuilder canonicalHeaders = new StringBuilder();
    for (String name : signedHeaders) {
      List<String> values = headerValues(request, name);
      if (values == null) {
        return Result.refused("signed header " + name + " is missing");
      }
      List<String> trimmed = new ArrayList<>();
      values.forEach(v -> trimmed.add(v.strip().replaceAll("\\s+", " ")));
      canonicalHeaders.append(name).append(':').append(String.join(",", trimmed)).append('\n');
    }
    String credentialScope = scope[1] + "/" + scope[2] + "/" + scope[3] + "/aws4_request";
    byte[] key = hmac(("AWS4" + credentials.secretKey()).getBytes(StandardCharsets.UTF_8), scope[1]);
    key = hmac(key, scope[2]);
    key = hmac(key, scope[3]);
    key = hmac(key, "aws4_request");
    byte[] given = HexFormat.of().parseHex(m.group(3));
    // the query as the AWS SDKs for Java / JS sign it (decoded, then strictly encoded), and as botocore signs a URL
    // whose query it did not encode itself (e.g. identifier=urn:oid:…|…, pairs sorted, characters as sent):
    // AWS accepts both, so does this verifier
    String strict = canonicalQuery(request.rawQuery());
    String asSent = canonicalQueryAsSent(request.rawQuery());
    boolean matches = false;
    for (String query : strict.equals(asSent) ? List.of(strict) : List.of(strict, asSent)) {
      String canonicalRequest = request.method() + "\n"
          + canonicalUri(request.rawPath()) + "\n"
          + query + "\n"
          + canonicalHeaders + "\n"
          + m.group(2) + "\n"
          + payloadHash;
      String stringToSign = ALGORITHM + "\n" + amzDate.strip() + "\n" + credentialScope + "\n"
          + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
      matches |= MessageDigest.isEqual(hmac(key, stringToSign), given);
    }
    if (!matches) {
      return Result.refused("signature does not match");
    }
    return new Result(new Identity(credentials.accessKey(), credentials.accountId(), credentials.userArn(),
        credentials.callerId()), null);
  }

  private static List<String> headerValues(ApiRequest request, String lowerName) {
    List<String> out = null;
    for (Map.Entry<String, List<String>> e : request.headers().entrySet()) {
      if (e.getKey().toLowerCase(Locale.ROOT).equals(lowerName)) {
        if (out == null) {
          out = new ArrayList<>();
        }
        out.addAll(e.getValue());
      }
    }
    return out;
  }

  /** The path as received, dot segments removed, then URI-encoded once more (slashes kept), as the SDK signs it. */
  static String canonicalUri(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    String normalized = java.net.URI.create("http://h" + rawPath).normalize().getRawPath();
    if (normalized == null || normalized.isEmpty()) {
      normalized = "/";
    }
    List<String> parts = new ArrayList<>();
    for (String part : normalized.split("/", -1)) {
      parts.add(encode(part));
    }
    return String.join("/", parts);
  }

  /** Parameters decoded, then strictly encoded, sorted by name then value; {@code name=} for a bare name. */
  static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String[]> pairs = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      pairs.add(new String[] {encode(name), encode(value)});
    }
    pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    StringBuilder out = new StringBuilder();
    for (String[] p : pairs) {
      if (out.length() > 0) {
        out.append('&');
      }
      out.append(p[0]).append('=').append(p[1]);
    }
    return out.toString();
  }

  /** botocore's form for a query it did not encode: the pairs as sent, sorted by name then value, nothing re-encoded. */
  static String canonicalQueryAsSent(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String[]> pairs = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      pairs.add(new String[] {eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1)});
    }
    pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    List<String> out = new ArrayList<>();
    pairs.forEach(p -> out.add(p[0] + "=" + p[1]));
    return String.join("&", out);
  }

  private static String decode(String s) {
    try {
      return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  /** RFC 3986: everything but {@code A-Z a-z 0-9 - _ . ~} percent-encoded (upper-case hex). */
  static String encode(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return out.toString();
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
