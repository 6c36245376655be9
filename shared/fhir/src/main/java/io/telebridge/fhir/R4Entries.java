package io.telebridge.fhir;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import io.telebridge.core.context.VisitRecordProfile;
import io.telebridge.core.model.Provider;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.HexFormat;
import java.util.TimeZone;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The parts every visit bundle entry is made of (package-private, static, pure): conditional creates and
 * updates on the platform id under the tenant's system, identifiers, practitioner references, codings,
 * dates, digests. One place for each, so the note, order, charge and Encounter entries agree.
 */
final class R4Entries {

  private R4Entries() {}

  /** A conditional create: POST, {@code ifNoneExist} on the platform id under the tenant's system. */
  static Bundle.BundleEntryComponent create(Resource r, String kind, String tenant, String value) {
    Bundle.BundleEntryComponent e = new Bundle.BundleEntryComponent().setFullUrl(fullUrl(r, kind, tenant, value))
        .setResource(r);
    e.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl(r.fhirType()).setIfNoneExist(match(tenant, kind, value));
    return e;
  }

  /** A conditional update: PUT on the search by the platform id (creates it when absent). */
  static Bundle.BundleEntryComponent update(Resource r, String kind, String tenant, String value) {
    Bundle.BundleEntryComponent e = new Bundle.BundleEntryComponent().setFullUrl(fullUrl(r, kind, tenant, value))
        .setResource(r);
    e.getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl(r.fhirType() + "?" + match(tenant, kind, value));
    return e;
  }

  /**
   * A PUT on a stored resource's literal id ({@code Type/id}, versionless), with {@code ifMatch} on the version
   * it was read at when {@code version} is not null (a write in between fails the transaction: read again).
   */
  static Bundle.BundleEntryComponent put(Resource r, String baseUrl, String id, String version) {
    r.setId(id);
    r.setMeta(null);
    Bundle.BundleEntryComponent e = new Bundle.BundleEntryComponent().setFullUrl(baseUrl + "/" + id).setResource(r);
    e.getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl(id);
    if (version != null) {
      e.getRequest().setIfMatch("W/\"" + version + "\"");
    }
    return e;
  }

  private static String fullUrl(Resource r, String kind, String tenant, String value) {
    return "urn:uuid:" + UUID.nameUUIDFromBytes((tenant + "|" + r.fhirType() + "|" + kind + "|" + value)
        .getBytes(StandardCharsets.UTF_8));
  }

  /** {@code identifier=<system>|<value>}, the value URL-encoded. */
  static String match(String tenant, String kind, String value) {
    return "identifier=" + enc(VisitRecordProfile.system(tenant, kind)) + "|" + enc(value);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("%3A", ":").replace("%2F", "/");
  }

  static Identifier identifier(String tenant, String kind, String value) {
    return new Identifier().setSystem(VisitRecordProfile.system(tenant, kind)).setValue(value);
  }

  static Reference practitioner(Provider p) {
    Reference ref = new Reference().setType("Practitioner");
    if (p.npi() != null) {
      ref.setIdentifier(new Identifier().setSystem(R4VisitBundles.NPI_SYSTEM).setValue(p.npi()));
    }
    if (p.name() != null) {
      ref.setDisplay(p.name());
    }
    return ref;
  }

  static CodeableConcept icd10(String code) {
    return new CodeableConcept(new Coding(R4VisitBundles.ICD10_SYSTEM, code, null));
  }

  static Coding coding(io.telebridge.core.model.Coding c) {
    return new Coding(c.system(), c.code(), c.display());
  }

  static DateTimeType dateTime(OffsetDateTime t) {
    return new DateTimeType(Date.from(t.toInstant()), TemporalPrecisionEnum.SECOND, TimeZone.getTimeZone(t.getOffset()));
  }

  static DateTimeType date(LocalDate d) {
    return new DateTimeType(d.toString());
  }

  static byte[] sha1(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
