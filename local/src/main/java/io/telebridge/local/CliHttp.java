package io.telebridge.local;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import tools.jackson.core.JacksonException;

/**
 * The one way the CLI commands report an HTTP call that went wrong: nothing listening (with the hint
 * to start the local stack when the target is local), an I/O or JSON failure (what was attempted, and
 * the exception), an interrupt. Each is exit status 1.
 */
final class CliHttp {

  private CliHttp() {}

  /** A command's HTTP exchange and what it prints; returns the exit status. */
  @FunctionalInterface
  interface Exchange {
    int run() throws IOException, InterruptedException;
  }

  /**
   * @param where the URL or endpoint called (named when nothing answers)
   * @param attempt what was attempted, for a failure ("POST <url>", "trace at <url>")
   * @param local whether the target is the local stack (adds "is the local stack running?")
   */
  static int call(String where, String attempt, boolean local, PrintStream err, Exchange exchange) {
    try {
      return exchange.run();
    } catch (ConnectException e) {
      err.println("nothing answers at " + where + (local ? ": is the local stack running? (./tb local)" : ""));
      return 1;
    } catch (IOException | JacksonException e) {
      err.println(attempt + " failed: " + e);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }
}
