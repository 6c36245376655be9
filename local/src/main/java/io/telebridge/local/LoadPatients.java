package io.telebridge.local;

import io.telebridge.local.aws.AwsClients;
import io.telebridge.aws.DynamoDbIdentityStore;
import io.telebridge.core.identity.EhrPatient;
import io.telebridge.core.model.Identifier;
import io.telebridge.json.FhirPatientReader;
import io.telebridge.matching.MatchInput;
import io.telebridge.matching.bench.BenchCsv;
import io.telebridge.matching.bench.BenchRecord;
import io.telebridge.matching.mpi.MatchingEhrPatientIndex;
import io.telebridge.matching.mpi.MatchingPatientResolver;
import java.io.BufferedReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Go-live: loads the EHR's patient list into the identity index, so that the first bookings of
 * patients the EHR already has link to their charts instead of registering duplicates.
 *
 * <pre>
 * ./tb load-patients FILE [--tenant demo-clinic] [--authority EPI] [--platform-authority TELEHEALTH]
 *                    [--system URI=AUTH ...] [--endpoint URL] [--table NAME | --aws --table NAME]
 * </pre>
 *
 * FILE is a CSV with the Febrl columns (rec_id or mrn, given_name, surname, street_number, address_1,
 * address_2, suburb, postcode, state, date_of_birth YYYYMMDD, soc_sec_id; optional sex, phone, email,
 * suffix) whose {@code mrn} (else {@code rec_id}) is the MRN under {@code --authority}; or FHIR R4
 * Patient NDJSON ({@code .ndjson}), one resource per line, with {@code --system URI=AUTH} mapping
 * identifier systems to PID-3 authorities. Without {@code --aws} it writes to the local stack's moto
 * (the table whose name contains IdentityTable). Re-running it overwrites the same items. Prints
 * counts only, never patient data.
 */
public final class LoadPatients {

  private LoadPatients() {}

  public static void main(String[] args) {
    System.exit(run(new ArrayList<>(Arrays.asList(args)), System.out, System.err));
  }

  public static int run(List<String> args, PrintStream out, PrintStream err) {
    boolean aws = args.remove("--aws");
    String tenant = Cli.option(args, "--tenant", "demo-clinic");
    String authority = Cli.option(args, "--authority", "EPI");
    String platformAuthority = Cli.option(args, "--platform-authority", "TELEHEALTH");
    String endpoint = Cli.option(args, "--endpoint", "http://127.0.0.1:" + DevEnvironment.getInt("TELEBRIDGE_MOTO_PORT", 5000));
    String table = Cli.option(args, "--table", null);
    Map<String, String> systems = new java.util.HashMap<>();
    for (String s = Cli.option(args, "--system", null); s != null; s = Cli.option(args, "--system", null)) {
      int eq = s.indexOf('=');
      if (eq < 1) {
        err.println("load-patients: --system wants URI=AUTHORITY");
        return 2;
      }
      systems.put(s.substring(0, eq), s.substring(eq + 1));
    }
    if (args.size() != 1) {
      err.println("usage: ./tb load-patients FILE.csv|FILE.ndjson [--tenant T] [--authority A] [--system URI=AUTH]"
          + " [--endpoint URL] [--table NAME] [--aws --table NAME]");
      return 2;
    }
    Path file = Path.of(args.get(0));
    try {
      List<MatchingEhrPatientIndex.Chart> charts = file.toString().endsWith(".ndjson")
          ? fromNdjson(file, new FhirPatientReader(systems))
          : fromCsv(file, authority);
      io.telebridge.aws.dynamodb.DynamoDb dynamo = aws
          ? io.telebridge.aws.AwsClients.shared(io.telebridge.aws.AwsSettings.fromEnvironment(System.getenv())).dynamoDb()
          : AwsClients.adapterDynamoDb(URI.create(endpoint));
      if (table == null) {
        if (aws) {
          err.println("load-patients: --aws needs --table (the stack output IdentityTableName)");
          return 2;
        }
        table = AwsClients.dynamoDb(URI.create(endpoint)).listTables().tableNames().stream().filter(n -> n.contains("IdentityTable")).findFirst()
            .orElseThrow(() -> new IllegalStateException("no IdentityTable at " + endpoint + ": is ./tb local running?"));
      }
      DynamoDbIdentityStore store = new DynamoDbIdentityStore(dynamo, table);
      Clock clock = Clock.systemUTC();
      MatchingEhrPatientIndex index = new MatchingEhrPatientIndex(store,
          new MatchingPatientResolver(store, store.candidateIndex(), platformAuthority, clock), clock);
      long t0 = System.nanoTime();
      long items = 0;
      for (int i = 0; i < charts.size(); i += 1_000) {
        items += index.bulkLoad(tenant, charts.subList(i, Math.min(charts.size(), i + 1_000)));
      }
      double s = (System.nanoTime() - t0) / 1e9;
      out.printf(Locale.ROOT, "loaded %d charts for tenant %s into %s: %d items in %.1f s (%.0f charts/s)%n",
          charts.size(), tenant, table, items, s, charts.size() / Math.max(s, 1e-9));
      return 0;
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("load-patients: " + e.getMessage());
      return 1;
    } catch (java.io.IOException e) {
      err.println("load-patients: cannot read " + file + ": " + e.getMessage());
      return 1;
    }
  }

  static List<MatchingEhrPatientIndex.Chart> fromCsv(Path file, String authority) throws java.io.IOException {
    List<MatchingEhrPatientIndex.Chart> charts = new ArrayList<>();
    for (BenchRecord r : BenchCsv.read(file)) {
      String mrn = r.get("mrn") != null ? r.get("mrn") : r.recId();
      if (mrn == null) {
        throw new IllegalArgumentException("a row has neither mrn nor rec_id (row " + (charts.size() + 2) + ")");
      }
      charts.add(new MatchingEhrPatientIndex.Chart(List.of(new Identifier(mrn, authority, "MR")), r.toInput(true)));
    }
    return charts;
  }

  static List<MatchingEhrPatientIndex.Chart> fromNdjson(Path file, FhirPatientReader reader) throws java.io.IOException {
    List<MatchingEhrPatientIndex.Chart> charts = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int line = 0;
      for (String json = in.readLine(); json != null; json = in.readLine()) {
        line++;
        if (json.isBlank()) {
          continue;
        }
        EhrPatient p;
        try {
          p = reader.read(json);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("line " + line + ": " + e.getMessage());
        }
        charts.add(new MatchingEhrPatientIndex.Chart(p.identifiers(), MatchInput.of(p.mrn().value(), p.demographics())));
      }
    }
    return charts;
  }
}
