package io.telebridge.matching.mpi;

import io.telebridge.core.identity.CrossReference;
import io.telebridge.core.identity.CrossReference.State;
import io.telebridge.core.identity.EhrPatient;
import io.telebridge.core.identity.EhrPatientIndex;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.TenantKeys;
import io.telebridge.core.model.PatientDemographics;
import io.telebridge.matching.BlockingKeys;
import io.telebridge.matching.MatchInput;
import io.telebridge.matching.Nicknames;
import io.telebridge.matching.NormalizedPerson;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The EHR's patient events on the identity index (the use case the return path and the bulk load call).
 *
 * <p>Upsert (A04/A08/A28/A31, bulk-load rows): the MRN's person is found by its identifier mapping;
 * failing that, when the EHR echoes the platform id in PID-3 (the registration telebridge sent), the
 * MRN is attached to that platform patient's person; else a person is created for the chart. The
 * demographics are filed as a record of the person (a record id derived from their content, so a
 * repeat files nothing new and an A08 change adds the new variant).
 *
 * <p>Merge (A40): every platform patient of the prior chart's person is re-pointed at the survivor's
 * person, the prior person is marked merged into the survivor (the matcher's links to it follow), and
 * the prior MRN now maps to the survivor.
 */
public final class MatchingEhrPatientIndex implements EhrPatientIndex {

  private static final Logger LOG = Logger.getLogger(MatchingEhrPatientIndex.class.getName());

  private final IdentityStore store;
  private final MatchingPatientResolver resolver;
  private final Nicknames nicknames = Nicknames.bundled();
  private final Clock clock;

  public MatchingEhrPatientIndex(IdentityStore store, MatchingPatientResolver resolver, Clock clock) {
    this.store = store;
    this.resolver = resolver;
    this.clock = clock;
  }

  /**
   * The person id of a chart telebridge learnt from the EHR: the tenant and an opaque hash of the MRN
   * (person ids show in the review list and in logs; the MRN itself must not).
   */
  public static String ehrPersonId(String tenant, Identifier mrn) {
    return "ehr:" + tenant + ":" + chartKey(tenant, mrn);
  }

  /** An opaque, tenant-scoped id of a chart (an MRN): for logs and for ids that are shown. */
  public static String chartKey(String tenant, Identifier mrn) {
    return TenantKeys.opaque("mrn", tenant, mrn.assigningAuthority(), mrn.value());
  }

  @Override
  public List<String> upsert(String tenant, EhrPatient patient) {
    Identifier mrn = patient.mrn();
    List<Identifier> ehrIds = patient.identifiers().stream().filter(i -> !isPlatformId(tenant, i)).toList();
    Optional<String> mapped = store.personOf(tenant, mrn);
    Person person;
    if (mapped.isPresent()) {
      person = resolver.follow(mapped.get());
      if (!person.identifiers().containsAll(ehrIds)) {
        person = person.withIdentifiers(merged(ehrIds, person.identifiers()));
        store.savePerson(person);
      }
    } else {
      Person echoed = echoedPlatformPerson(tenant, patient);
      if (echoed != null) {
        person = echoed.withIdentifiers(merged(ehrIds, echoed.identifiers()));
      } else {
        person = store.person(ehrPersonId(tenant, mrn)).orElse(
            new Person(ehrPersonId(tenant, mrn), tenant, ehrIds, null, clock.instant()));
      }
      store.savePerson(person);
    }
    for (Identifier id : ehrIds) {
      store.mapIdentifier(tenant, id, person.personId());
    }
    fileDemographics(tenant, person.personId(), mrn, patient.demographics());
    List<String> linked = store.platformPatients(person.personId());
    String personId = person.personId();
    LOG.info(() -> "EHR upsert chart=" + chartKey(tenant, mrn) + " person=" + personId + " platformPatients="
        + linked.size());
    return linked;
  }

  /** Whether PID-3 carries the platform id under this tenant's own authority (another tenant's is not an echo). */
  private boolean isPlatformId(String tenant, Identifier id) {
    Identifier asPlatform = resolver.platformIdentifier(tenant, id.value());
    return asPlatform.assigningAuthority().equals(id.assigningAuthority());
  }

  private Person echoedPlatformPerson(String tenant, EhrPatient patient) {
    List<String> platformIds = new ArrayList<>();
    if (patient.demographics() != null && patient.demographics().platformPatientId() != null) {
      platformIds.add(patient.demographics().platformPatientId());
    }
    patient.identifiers().stream().filter(i -> isPlatformId(tenant, i)).forEach(i -> platformIds.add(i.value()));
    for (String platformId : platformIds) {
      Optional<CrossReference> xref = store.xref(tenant, platformId);
      if (xref.isPresent() && xref.get().personId() != null) {
        return resolver.follow(xref.get().personId());
      }
    }
    return null;
  }

  private static List<Identifier> merged(List<Identifier> first, List<Identifier> then) {
    List<Identifier> out = new ArrayList<>(first);
    for (Identifier i : then) {
      if (!out.contains(i)) {
        out.add(i);
      }
    }
    return out;
  }

  private void fileDemographics(String tenant, String personId, Identifier mrn, PatientDemographics demographics) {
    if (demographics == null || !MatchingPatientResolver.matchable(demographics)) {
      return;
    }
    NormalizedPerson probe = resolver.matcher(tenant).normalize(MatchInput.of("probe", demographics));
    String recordId = "ehr:" + chartKey(tenant, mrn) + ":" + MatchingPatientResolver.contentHash(probe);
    NormalizedPerson record = resolver.matcher(tenant).normalize(MatchInput.of(recordId, demographics));
    store.file(personId, record, new TenantIndex(resolver.matcherIndex(), tenant).scoped(BlockingKeys.of(record, nicknames)));
  }

  /** A chart of the EHR's patient list for {@link #bulkLoad}: identifiers (MRN first) and what to match on. */
  public record Chart(List<Identifier> identifiers, MatchInput input) {
    @Override
    public String toString() {
      return "Chart[identifiers=" + identifiers + ", ***]";
    }
  }

  /**
   * Go-live: loads the EHR's patient list (CSV or FHIR Patient NDJSON, read by the caller) as persons
   * with their identifier mappings and records, in batches, without matching (the EHR's own charts are
   * distinct by definition). Re-running it overwrites the same items.
   *
   * @return the number of index items written
   */
  public long bulkLoad(String tenant, List<Chart> charts) {
    List<IdentityStore.BulkChart> bulk = new ArrayList<>(charts.size());
    TenantIndex scope = new TenantIndex(resolver.matcherIndex(), tenant);
    for (Chart chart : charts) {
      Identifier mrn = chart.identifiers().stream().filter(i -> "MR".equals(i.typeCode())).findFirst()
          .orElse(chart.identifiers().get(0));
      String personId = ehrPersonId(tenant, mrn);
      NormalizedPerson record = resolver.matcher(tenant).normalize(new MatchInput(
          "ehr:" + chartKey(tenant, mrn), chart.input().demographics(), chart.input().nationalId()));
      bulk.add(new IdentityStore.BulkChart(new Person(personId, tenant, chart.identifiers(), null, clock.instant()),
          chart.identifiers(), record, scope.scoped(BlockingKeys.of(record, nicknames))));
    }
    return store.bulkLoad(bulk);
  }

  @Override
  public List<String> merge(String tenant, Identifier survivor, Identifier prior) {
    String survivorId = store.personOf(tenant, survivor).map(id -> resolver.follow(id).personId()).orElseGet(() -> {
      Person created = new Person(ehrPersonId(tenant, survivor), tenant, List.of(survivor), null, clock.instant());
      store.savePerson(created);
      store.mapIdentifier(tenant, survivor, created.personId());
      return created.personId();
    });
    Optional<String> priorMapped = store.personOf(tenant, prior);
    if (priorMapped.isPresent()) {
      Person priorPerson = resolver.follow(priorMapped.get());
      if (!priorPerson.personId().equals(survivorId)) {
        for (String platformId : store.platformPatients(priorPerson.personId())) {
          store.xref(tenant, platformId).ifPresent(x -> store.saveXref(
              x.withPerson(survivorId, x.state() == State.PARKED ? State.PARKED : x.state())));
        }
        store.savePerson(priorPerson.mergedInto(survivorId));
      }
    }
    Person survivorPerson = resolver.follow(survivorId);
    List<Identifier> ids = new ArrayList<>(survivorPerson.identifiers());
    ids.remove(prior);
    if (!ids.contains(survivor)) {
      ids.add(0, survivor);
    }
    store.savePerson(survivorPerson.withIdentifiers(ids));
    store.mapIdentifier(tenant, prior, survivorId);
    List<String> linked = store.platformPatients(survivorId);
    LOG.info(() -> "EHR merge prior=" + chartKey(tenant, prior) + " survivor=" + chartKey(tenant, survivor)
        + " person=" + survivorId
        + " platformPatients=" + linked.size());
    return linked;
  }

  @Override
  public List<String> platformPatientsOf(String tenant, Identifier mrn) {
    return store.personOf(tenant, mrn).map(id -> store.platformPatients(resolver.follow(id).personId())).orElse(List.of());
  }
}
