package io.telebridge.local.emulator;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which moto {@link MotoServer} runs and its command line: our serial server (python3 importing moto, the
 * scripts beside {@link MotoServer}) when there is one, else {@code moto_server} on PATH behind a wrapper that
 * ends it when this JVM is gone.
 */
final class MotoLaunch {

  private static final Logger LOG = LoggerFactory.getLogger(MotoServer.class);

  private MotoLaunch() {}

  /**
   * The child's process, not started ({@code serial}: {@code executable} is the python3 of
   * {@link #serialPython()}, else a moto_server): its output appended to {@code logFile}, its stdin a pipe held by this
   * JVM (EOF when it is gone).
   */
  static ProcessBuilder processFor(String executable, boolean serial, String host, int port, Path state,
      Path logFile) {
    ProcessBuilder pb;
    if (serial) {
      pb = new ProcessBuilder(executable, "-c", resource("moto_serial_server.py"), host, Integer.toString(port),
          state == null ? "" : state.toString());
      pb.environment().put("TELEBRIDGE_MOTO_PATCH", resource("moto_query_patch.py"));
    } else {
      if (state != null) {
        LOG.warn("moto_server ({}) keeps its state in memory only: tables are lost when the stack stops", executable);
      }
      // moto_server does not watch its stdin: this wrapper does, and ends it on EOF (our JVM is gone)
      pb = new ProcessBuilder("sh", "-c", "\"$0\" -H \"$1\" -p \"$2\" & pid=$!; trap 'kill $pid' TERM; "
          + "cat >/dev/null; kill $pid 2>/dev/null; wait $pid # " + MotoPidFile.MARKER + " " + (state == null ? "" : state),
          executable, host, Integer.toString(port));
    }
    pb.environment().put("MOTO_ACCOUNT_ID", "000000000000");
    pb.environment().put("AWS_DEFAULT_REGION", "us-east-1");
    pb.environment().put("PYTHONUNBUFFERED", "1");
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.PIPE); // held by this JVM: EOF when it is gone
    return pb;
  }

  static String resource(String name) {
    try (var in = MotoServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " missing beside " + MotoServer.class.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }


  private static volatile Optional<String> serialPython;


  /** The python3 on PATH when it imports moto's server (checked once per JVM), else null. */
  static String serialPython() {
    Optional<String> known = serialPython;
    if (known == null) {
      known = Optional.ofNullable(findSerialPython());
      serialPython = known;
    }
    return known.orElse(null);
  }


  private static String findSerialPython() {
    String python = findOnPath("python3");
    if (python == null) {
      return null;
    }
    try {
      Process check = new ProcessBuilder(python, "-c", "import moto.server, werkzeug.serving")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0 ? python : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }


  static String findOnPath(String name) {
    String path = io.telebridge.local.DevEnvironment.get("PATH", null);
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }
}
