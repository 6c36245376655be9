package io.telebridge.local.fhir;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;

/**
 * The local stack's SMART client key (development only): an RSA 2048 key, {@code kid} {@value #KID},
 * made on first use and kept in {@code <data>/fhir/smart-client-key.json} (private JWK, mode 600), so a
 * restart keeps the key Keycloak has registered and {@code --reset} makes a new one. {@code ./tb jwks}
 * prints its public JWKS: the same text as shared/fhir's {@code SmartBackendAuth.publicJwks} (LocalFhirIT
 * checks), which the local stack does not depend on (HAPI's structures would add 62 MB to its jar).
 */
public final class DevSmartKey {

  public static final String KID = "telebridge-local-dev-1";
  static final String FILE = "smart-client-key.json";

  private DevSmartKey() {}

  /** {@code <data>/fhir/smart-client-key.json}. */
  public static Path file(Path dataDir) {
    return dataDir.resolve("fhir").resolve(FILE);
  }

  public static synchronized RSAKey loadOrCreate(Path dataDir) throws IOException {
    Path file = file(dataDir);
    if (Files.isRegularFile(file)) {
      try {
        return RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
      } catch (ParseException e) {
        throw new IOException(file + " is not an RSA JWK: delete it (a new key is made) or ./tb local --reset", e);
      }
    }
    RSAKey key;
    try {
      // use and alg in the JWKS: Keycloak ignores a registered key without "use"
      key = new RSAKeyGenerator(2048).keyID(KID).keyUse(com.nimbusds.jose.jwk.KeyUse.SIGNATURE)
          .algorithm(com.nimbusds.jose.JWSAlgorithm.RS384).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("no RSA key generator", e);
    }
    Files.createDirectories(file.getParent());
    Path tmp = Files.createTempFile(file.getParent(), FILE, ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, key.toJSONString(), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    return key;
  }

  /** The public JWKS to register with the EHR's authorization server. */
  public static String publicJwks(JWK key) {
    return new JWKSet(key.toPublicJWK()).toString(true);
  }
}
