package io.telebridge.core.toplatform;

import io.telebridge.core.error.TransientException;
import java.net.ConnectException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** Test fake of {@link PlatformEndpoint}: answers from a script (default 200), records requests. */
final class ScriptedPlatformEndpoint implements PlatformEndpoint {

  record Request(Map<String, String> headers, byte[] body) {}

  final List<Request> requests = new ArrayList<>();
  private final Deque<Object> script = new ArrayDeque<>();

  ScriptedPlatformEndpoint answer(Response response) {
    script.add(response);
    return this;
  }

  ScriptedPlatformEndpoint unreachable() {
    script.add(new TransientException("connection refused", new ConnectException("refused")));
    return this;
  }

  @Override
  public Response post(Map<String, String> headers, byte[] body) {
    requests.add(new Request(Map.copyOf(headers), body.clone()));
    Object next = script.isEmpty() ? Response.of(200) : script.poll();
    if (next instanceof TransientException e) {
      throw e;
    }
    return (Response) next;
  }
}
