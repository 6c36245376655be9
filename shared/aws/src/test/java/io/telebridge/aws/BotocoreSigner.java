package io.telebridge.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Authorization header botocore (AWS's Python signer) computes for a request seen on the wire: the check
 * of {@link SignedHttp}'s signatures against an implementation that is not the Java SDK's (moto checks none).
 * Tests skip (with the reason) where python3 with botocore is not installed; CI installs it with moto.
 */
public final class BotocoreSigner {

  public static final String ACCESS = "AKIDEXAMPLE";
  public static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  /** The signing time the tests fix (the clock of the signer under test). */
  public static final String AMZ_DATE = "20261207T160000Z";

  private BotocoreSigner() {}

  public static boolean available() {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import botocore.auth").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /**
   * botocore's Authorization for {@code request} as sent to {@code server}, signing the request's headers
   * except {@code unsigned} (lower-case names: those botocore adds itself or does not sign).
   */
  public static String authorization(LoopbackHttp.Seen request, LoopbackHttp server, String service, String region,
      Set<String> unsigned) throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    request.joinedHeaders().forEach((name, value) -> {
      if (!unsigned.contains(name)) {
        headers.put(name, value);
      }
    });
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("method", request.method());
    input.put("url", server.uri() + request.rawPath());
    input.put("headers", headers);
    input.put("body", request.text());
    input.put("service", service);
    input.put("accessKey", ACCESS);
    input.put("secretKey", SECRET);
    input.put("region", region);
    input.put("amzDate", AMZ_DATE);
    Path script = Files.createTempFile("botocore_sign", ".py");
    try (InputStream in = BotocoreSigner.class.getResourceAsStream("/botocore_sign.py")) {
      Files.write(script, in.readAllBytes());
    }
    Process p = new ProcessBuilder("python3", script.toString()).redirectErrorStream(true).start();
    p.getOutputStream().write(JsonMapper.builder().build().writeValueAsBytes(input));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, p.waitFor(), out);
    Files.deleteIfExists(script);
    return out;
  }
}
