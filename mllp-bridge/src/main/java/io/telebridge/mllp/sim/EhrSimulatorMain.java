package io.telebridge.mllp.sim;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** Command line for {@link EhrSimulator}: runs until Ctrl-C. */
final class EhrSimulatorMain {

  static final String USAGE = """
      Usage: java -cp mllp-bridge.jar io.telebridge.mllp.sim.EhrSimulator [options]
        --host ADDR              bind address (default 127.0.0.1)
        --port N                 MLLP port (default 2575; 0 picks one)
        --control-port N         HTTP control endpoint (default 2576; -1: none)
        --record-dir DIR         append messages to DIR/messages.hl7 and DIR/received.log
        --keystore P12 --keystore-password PW        serve TLS with this key
        --truststore P12 --truststore-password PW    trust these client certificates
        --need-client-auth       require a client certificate (mutual TLS)
        --answer CODE            initial rule for every message (AA AE AR CA CE CR DROP SILENT)
      """;

  private EhrSimulatorMain() {}

  static void main(String[] args) throws Exception {
    EhrSimulator.Builder b = EhrSimulator.builder().port(2575).controlPort(2576).console(System.out);
    Path keystore = null;
    Path truststore = null;
    char[] keystorePassword = null;
    char[] truststorePassword = null;
    boolean needClientAuth = false;
    String answer = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--host" -> b.host(args[++i]);
        case "--port" -> b.port(Integer.parseInt(args[++i]));
        case "--control-port" -> b.controlPort(Integer.parseInt(args[++i]));
        case "--record-dir" -> b.recordDir(Path.of(args[++i]));
        case "--keystore" -> keystore = Path.of(args[++i]);
        case "--keystore-password" -> keystorePassword = args[++i].toCharArray();
        case "--truststore" -> truststore = Path.of(args[++i]);
        case "--truststore-password" -> truststorePassword = args[++i].toCharArray();
        case "--need-client-auth" -> needClientAuth = true;
        case "--answer" -> answer = args[++i];
        case "-h", "--help" -> {
          System.out.print(USAGE);
          return;
        }
        default -> {
          System.err.println("unknown option " + a);
          System.err.print(USAGE);
          System.exit(2);
        }
      }
    }
    if (keystore != null) {
      b.tls(keystore, keystorePassword, truststore, truststorePassword, needClientAuth);
    }
    EhrSimulator sim = b.start();
    if (answer != null) {
      sim.addRule(SimRule.answer(Answer.valueOf(answer)));
    }
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      sim.close();
      stop.countDown();
    }));
    System.out.println("EHR simulator (MLLP" + (keystore != null ? " over TLS" : "") + ") on " + sim.host() + ":"
        + sim.port() + (sim.controlUrl() != null ? "; control: curl " + sim.controlUrl() + "/" : "")
        + (sim.recordDir() != null ? "; recording to " + sim.recordDir() : ""));
    stop.await();
  }
}
