package io.telebridge.mllp.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** SSLContexts from PKCS12 stores, for the bridge (client) and the EHR simulator (server). */
public final class TlsContexts {

  private TlsContexts() {}

  /**
   * An SSLContext with the key store's key (or none) and the trust store's certificates (or the
   * JVM's default trust when {@code truststore} is null).
   */
  public static SSLContext create(byte[] keystore, char[] keystorePassword, byte[] truststore, char[] truststorePassword) {
    try {
      KeyManagerFactory kmf = null;
      if (keystore != null) {
        KeyStore ks = load(keystore, keystorePassword, "key store");
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, keystorePassword);
      }
      TrustManagerFactory tmf = null;
      if (truststore != null) {
        KeyStore ts = load(truststore, truststorePassword, "trust store");
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("TLS material could not be used (" + e.getClass().getSimpleName()
          + "): check the key store / trust store, their type (PKCS12) and passwords", e);
    }
  }

  /** From PKCS12 files (either may be null). */
  public static SSLContext create(Path keystore, char[] keystorePassword, Path truststore, char[] truststorePassword) {
    return create(read(keystore), keystorePassword, read(truststore), truststorePassword);
  }

  public static SSLContext forClient(TlsConfig tls) {
    return create(tls.keystore(), tls.keystorePassword(), tls.truststore(), tls.truststorePassword());
  }

  private static byte[] read(Path file) {
    try {
      return file == null ? null : Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static KeyStore load(byte[] store, char[] password, String what) throws GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try {
      ks.load(new ByteArrayInputStream(store), password);
    } catch (IOException e) {
      throw new IllegalStateException("cannot open the " + what + " (" + e.getClass().getSimpleName()
          + ": wrong password, or not PKCS12?)", e);
    }
    return ks;
  }
}
