package io.telebridge.local.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The cold-start baseline of an SQS function as a stream handler (as every function is since the
 * stream entry): reads the batch's bytes and reports no failures. Beside {@link BareSqsHandler} (the
 * same as a POJO handler, the runtime's SQSEvent serializer with joda-time deserialising the batch), the
 * difference is what the runtime's POJO serialisation costs.
 */
public final class BareSqsStreamHandler implements RequestStreamHandler {

  private static final byte[] ANSWER = "{\"batchItemFailures\":[]}".getBytes(StandardCharsets.UTF_8);

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    input.readAllBytes();
    output.write(ANSWER);
  }
}
