package io.telebridge.tests;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import io.telebridge.core.context.Chart;
import io.telebridge.core.context.ChartQuery;
import io.telebridge.core.context.VisitRecord;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.core.model.Identifier;
import io.telebridge.fhir.FhirChartReader;
import io.telebridge.fhir.FhirContexts;
import io.telebridge.fhir.R4VisitBundles;
import io.telebridge.hl7v2.EhrProfile;
import io.telebridge.json.PlatformEventReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * Runs in a fresh JVM with a FHIR function's deployable jar alone on the classpath (and this class): spawned
 * by {@link FunctionJarsIT}. The jars leave out the R4 resource classes no function meets (shade filters in
 * their poms); this proves the kept ones are enough. For every resource type named on the command line it
 * builds HAPI's definition (the model scan, which loads the classes a resource's fields name), parses a
 * {@code batch-response} Bundle holding one of each plus a type the jar leaves out, and encodes it again;
 * with {@code read=<base>,<mrn system>,<mrn>} it runs {@link FhirChartReader#read} against that server; with
 * {@code visits=<event file>,...} it builds each sample visit's transaction Bundles ({@link R4VisitBundles}, the
 * to-ehr translator's writer, with the {@code generic-epic-like-fhir} profile), encodes and parses them again.
 * Prints one {@code FHIRPROBE} line per check; any exception exits non-zero.
 *
 * <pre>
 *   java -cp context.jar:test-classes io.telebridge.tests.FhirJarProbe types=Patient,Condition,... unexpected=Flag [read=...]
 * </pre>
 */
public final class FhirJarProbe {

  private FhirJarProbe() {}

  public static void main(String[] args) throws java.io.IOException {
    FhirContext fhir = FhirContexts.r4();
    List<String> types = List.of();
    String unexpected = null;
    String read = null;
    List<String> visits = List.of();
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      switch (kv[0]) {
        case "types" -> types = List.of(kv[1].split(","));
        case "unexpected" -> unexpected = kv[1];
        case "read" -> read = kv[1];
        case "visits" -> visits = List.of(kv[1].split(","));
        default -> throw new IllegalArgumentException(arg);
      }
    }
    for (String type : types) {
      System.out.println("FHIRPROBE definition " + fhir.getResourceDefinition(type).getName() + " "
          + fhir.getResourceDefinition(type).getChildren().size());
    }
    StringBuilder json = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"batch-response\",\"entry\":[");
    List<String> all = new ArrayList<>(types);
    if (unexpected != null) {
      all.add(unexpected);
    }
    for (int i = 0; i < all.size(); i++) {
      json.append(i == 0 ? "" : ",").append("{\"resource\":{\"resourceType\":\"").append(all.get(i))
          .append("\",\"id\":\"p").append(i).append("\",\"meta\":{\"versionId\":\"1\"}},")
          .append("\"response\":{\"status\":\"200 OK\"}}");
    }
    json.append("]}");
    IParser parser = fhir.newJsonParser();
    Bundle bundle = parser.parseResource(Bundle.class, json.toString());
    List<String> parsed = new ArrayList<>();
    for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
      Resource r = e.getResource();
      parsed.add(r == null ? "null" : r.fhirType());
    }
    System.out.println("FHIRPROBE parsed " + String.join(",", parsed));
    String again = parser.encodeResourceToString(bundle);
    System.out.println("FHIRPROBE encoded " + parser.parseResource(Bundle.class, again).getEntry().size() + " entries");
    for (String file : visits) {
      PlatformEvent e = new PlatformEventReader().read(Files.readString(Path.of(file)));
      VisitRecord record = new VisitRecord("probe", "evt-probe", e.type(), e.occurredAt(), "pat-probe",
          List.of(new Identifier("MRN-PROBE", "EPI", "MR")), e.visit());
      R4VisitBundles bundles = new R4VisitBundles(EhrProfile.named("generic-epic-like-fhir").visitRecordProfile(),
          "http://fhir.local/fhir");
      List<String> written = new ArrayList<>();
      for (Bundle b : bundles.transactions(record, "Patient/1", List.of())) {
        for (Bundle.BundleEntryComponent entry : parser.parseResource(Bundle.class, parser.encodeResourceToString(b))
            .getEntry()) {
          written.add(entry.getResource().fhirType());
        }
      }
      System.out.println("FHIRPROBE visit " + e.type() + " " + String.join(",", written));
    }
    if (read != null) {
      String[] r = read.split(",");
      FhirChartReader reader = new FhirChartReader(fhir, FhirChartReader.Settings.defaults("ehr-fhir", r[0],
          Map.of(r[1], "EPI")), null);
      Chart chart = reader.read(new ChartQuery("probe", new Identifier(r[2], "EPI", "MR"), r[1],
          Instant.now().minus(3650, ChronoUnit.DAYS), 50, true, 3));
      System.out.println("FHIRPROBE read " + chart.problems().items().size() + " problems "
          + chart.medications().items().size() + " medications " + chart.allergies().items().size() + " allergies "
          + chart.results().items().size() + " results");
    }
  }
}
