package io.telebridge.mllp;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** PKCS12 key and trust stores made with the JDK's keytool at test time (self-signed, EC P-256, 2 days). */
final class TestCertificates {

  static final String PASSWORD = "changeit-test";

  final Path ehrKeystore;          // CN=localhost, SAN localhost + 127.0.0.1
  final Path ehrTruststore;        // trusts the bridge's certificate
  final Path bridgeKeystore;       // CN=mllp-bridge
  final Path bridgeTruststore;     // trusts the EHR's certificate (and the wrong-name one)
  final Path strangerKeystore;     // a client certificate the EHR does not trust
  final Path wrongNameKeystore;    // an EHR certificate for ehr.example.invalid only

  private TestCertificates(Path dir) {
    ehrKeystore = dir.resolve("ehr.p12");
    ehrTruststore = dir.resolve("ehr-trust.p12");
    bridgeKeystore = dir.resolve("bridge.p12");
    bridgeTruststore = dir.resolve("bridge-trust.p12");
    strangerKeystore = dir.resolve("stranger.p12");
    wrongNameKeystore = dir.resolve("wrong-name.p12");
  }

  static TestCertificates create(Path dir) throws IOException, InterruptedException {
    TestCertificates c = new TestCertificates(dir);
    c.keypair(c.ehrKeystore, "ehr", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
    c.keypair(c.bridgeKeystore, "bridge", "CN=mllp-bridge", null);
    c.keypair(c.strangerKeystore, "stranger", "CN=stranger", null);
    c.keypair(c.wrongNameKeystore, "wrong", "CN=ehr.example.invalid", "SAN=dns:ehr.example.invalid");
    c.trust(c.ehrKeystore, "ehr", c.bridgeTruststore, dir);
    c.trust(c.wrongNameKeystore, "wrong", c.bridgeTruststore, dir);
    c.trust(c.bridgeKeystore, "bridge", c.ehrTruststore, dir);
    return c;
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
