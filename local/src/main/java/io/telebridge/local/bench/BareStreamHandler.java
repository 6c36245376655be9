package io.telebridge.local.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The cold-start baseline for a stream handler (the context pull): reads its input and answers a
 * constant. Same probe, same classpath as the real handler.
 */
public final class BareStreamHandler implements RequestStreamHandler {

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    input.readAllBytes();
    output.write("{\"outcome\":\"bare\"}".getBytes(StandardCharsets.UTF_8));
  }
}
