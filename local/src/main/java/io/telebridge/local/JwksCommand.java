package io.telebridge.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** {@code jwks}: the development SMART client key's public JWKS. */
final class JwksCommand {

  private JwksCommand() {}

  /** {@code jwks [--data-dir DIR]}: the development SMART client key's public JWKS (the key is made if absent). */
  static int jwks(List<String> args, PrintStream out, PrintStream err) {
    Path dataDir = null;
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--data-dir") && i + 1 < args.size()) {
        dataDir = Path.of(args.get(++i));
      } else if (args.get(i).equals("--root") && i + 1 < args.size()) {
        dataDir = Path.of(args.get(++i)).resolve(".local-data");
      } else {
        throw new IllegalArgumentException("usage: jwks [--data-dir DIR | --root DIR]");
      }
    }
    if (dataDir == null) {
      Path template = RepoRoot.template().orElseThrow(() -> new IllegalArgumentException(
          "no template.yaml here or above; run from the repository or pass --data-dir"));
      dataDir = template.toAbsolutePath().getParent().resolve(".local-data");
    }
    try {
      var key = io.telebridge.local.fhir.DevSmartKey.loadOrCreate(dataDir);
      out.println(io.telebridge.local.fhir.DevSmartKey.publicJwks(key));
      err.println("client " + io.telebridge.local.fhir.LocalFhir.CLIENT_ID + ", kid " + key.getKeyID() + ", RS384; key in "
          + io.telebridge.local.fhir.DevSmartKey.file(dataDir) + " (development only)");
      return 0;
    } catch (java.io.IOException e) {
      err.println(e.getMessage());
      return 1;
    }
  }
}
