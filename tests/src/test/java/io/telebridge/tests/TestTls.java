package io.telebridge.tests;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** PKCS12 stores made with the JDK's keytool at test time (self-signed EC P-256, 2 days): the listener's and an EHR's. */
final class TestTls {

  static final String PASSWORD = "changeit-test";

  final Path listenerKeystore;   // CN=localhost, SAN localhost + 127.0.0.1
  final Path listenerTruststore; // trusts the EHR's client certificate (mutual TLS)
  final Path ehrKeystore;        // CN=ehr-interface-engine
  final Path ehrTruststore;      // trusts the listener's certificate
  final Path strangerKeystore;   // a client certificate the listener does not trust

  private TestTls(Path dir) {
    listenerKeystore = dir.resolve("listener.p12");
    listenerTruststore = dir.resolve("listener-trust.p12");
    ehrKeystore = dir.resolve("ehr.p12");
    ehrTruststore = dir.resolve("ehr-trust.p12");
    strangerKeystore = dir.resolve("stranger.p12");
  }

  static TestTls create(Path dir) throws IOException, InterruptedException {
    TestTls t = new TestTls(dir);
    t.keypair(t.listenerKeystore, "listener", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
    t.keypair(t.ehrKeystore, "ehr", "CN=ehr-interface-engine", null);
    t.keypair(t.strangerKeystore, "stranger", "CN=stranger", null);
    t.trust(t.listenerKeystore, "listener", t.ehrTruststore, dir);
    t.trust(t.ehrKeystore, "ehr", t.listenerTruststore, dir);
    return t;
  }

  private void keypair(Path store, String alias, String dname, String san) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", dname, "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", PASSWORD, "-keypass", PASSWORD));
    if (san != null) {
      args.addAll(List.of("-ext", san));
    }
    keytool(args);
  }

  private void trust(Path from, String alias, Path truststore, Path dir) throws IOException, InterruptedException {
    Path pem = dir.resolve(alias + ".pem");
    keytool(List.of("-exportcert", "-alias", alias, "-keystore", from.toString(), "-storepass", PASSWORD, "-rfc",
        "-file", pem.toString()));
    keytool(List.of("-importcert", "-noprompt", "-alias", alias, "-file", pem.toString(), "-storetype", "PKCS12",
        "-keystore", truststore.toString(), "-storepass", PASSWORD));
  }

  private static void keytool(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool failed: " + out);
    }
  }
}
