package io.telebridge.matching.mpi;

import io.telebridge.core.identity.CrossReference;
import io.telebridge.core.identity.CrossReference.State;
import io.telebridge.core.model.Identifier;
import io.telebridge.matching.InMemoryCandidateIndex;
import io.telebridge.matching.NormalizedPerson;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link IdentityStore} in process memory, with its own {@link InMemoryCandidateIndex}: for unit tests,
 * the benchmark and in-process figures. Every method is atomic (synchronized), as the DynamoDB
 * adapter's transactions are.
 */
public final class InMemoryIdentityStore implements IdentityStore {

  private final InMemoryCandidateIndex index = new InMemoryCandidateIndex();
  private final Map<String, CrossReference> xrefs = new HashMap<>();
  private final Map<String, Person> persons = new HashMap<>();
  private final Map<String, String> identifiers = new HashMap<>();
  private final Map<String, String> claims = new HashMap<>();
  private final Map<String, Set<String>> links = new HashMap<>();
  private final Map<String, ReviewCase> cases = new LinkedHashMap<>();
  private final Map<String, List<ParkedEvent>> parked = new HashMap<>();

  public InMemoryCandidateIndex index() {
    return index;
  }

  private static String key(String tenant, String id) {
    return tenant + "\n" + id;
  }

  private static String key(String tenant, Identifier id) {
    return tenant + "\n" + id.assigningAuthority() + "\n" + id.value();
  }

  @Override
  public synchronized Optional<CrossReference> xref(String tenant, String platformPatientId) {
    return Optional.ofNullable(xrefs.get(key(tenant, platformPatientId)));
  }

  @Override
  public synchronized Optional<Person> person(String personId) {
    return Optional.ofNullable(persons.get(personId));
  }

  @Override
  public synchronized Optional<String> personOf(String tenant, Identifier identifier) {
    return Optional.ofNullable(identifiers.get(key(tenant, identifier)));
  }

  @Override
  public synchronized List<String> platformPatients(String personId) {
    return List.copyOf(links.getOrDefault(personId, Set.of()));
  }

  @Override
  public synchronized Registration registerNew(String claimKey, Person person, CrossReference xref,
      NormalizedPerson record, Set<String> keys) {
    String owner = claims.get(claimKey);
    if (owner != null && !owner.equals(person.personId())) {
      return new Registration.ClaimTaken(owner);
    }
    claims.put(claimKey, person.personId());
    persons.putIfAbsent(person.personId(), person);
    CrossReference stored = xrefs.computeIfAbsent(key(xref.tenant(), xref.platformPatientId()), k -> xref);
    links.computeIfAbsent(person.personId(), k -> new LinkedHashSet<>()).add(xref.platformPatientId());
    index.file(person.personId(), record, keys);
    return new Registration.Registered(stored);
  }

  @Override
  public synchronized CrossReference link(CrossReference xref, NormalizedPerson record, Set<String> keys) {
    CrossReference stored = xrefs.computeIfAbsent(key(xref.tenant(), xref.platformPatientId()), k -> xref);
    links.computeIfAbsent(stored.personId(), k -> new LinkedHashSet<>()).add(xref.platformPatientId());
    index.file(stored.personId(), record, keys);
    return stored;
  }

  @Override
  public synchronized void openCase(CrossReference xref, ReviewCase reviewCase, ParkedEvent first) {
    if (xrefs.putIfAbsent(key(xref.tenant(), xref.platformPatientId()), xref) != null) {
      return;
    }
    cases.put(key(reviewCase.tenant(), reviewCase.caseId()), reviewCase);
    parked.put(key(reviewCase.tenant(), reviewCase.caseId()), new ArrayList<>(List.of(first)));
  }

  @Override
  public synchronized boolean park(String tenant, String platformPatientId, String eventId, String body) {
    CrossReference x = xrefs.get(key(tenant, platformPatientId));
    if (x == null || x.state() == State.LINKED) {
      return false;
    }
    List<ParkedEvent> events = parked.computeIfAbsent(key(tenant, x.reviewCaseId()), k -> new ArrayList<>());
    if (events.stream().noneMatch(e -> e.eventId().equals(eventId))) {
      events.add(new ParkedEvent(x.parkedCount() + 1, eventId, body));
      xrefs.put(key(tenant, platformPatientId), new CrossReference(x.tenant(), x.platformPatientId(), x.personId(),
          x.state(), x.reviewCaseId(), x.registeredByEvent(), x.parkedCount() + 1, x.createdAt()));
    }
    return true;
  }

  @Override
  public synchronized List<ParkedEvent> parked(String tenant, String caseId) {
    List<ParkedEvent> events = new ArrayList<>(parked.getOrDefault(key(tenant, caseId), List.of()));
    events.sort(Comparator.comparingInt(ParkedEvent::seq));
    return events;
  }

  @Override
  public synchronized Optional<ReviewCase> reviewCase(String tenant, String caseId) {
    return Optional.ofNullable(cases.get(key(tenant, caseId)));
  }

  @Override
  public synchronized List<ReviewCase> openCases(String tenant) {
    return cases.values().stream()
        .filter(c -> c.tenant().equals(tenant) && c.status() != ReviewCase.Status.RESOLVED).toList();
  }

  @Override
  public synchronized void saveCase(ReviewCase reviewCase) {
    cases.put(key(reviewCase.tenant(), reviewCase.caseId()), reviewCase);
  }

  @Override
  public synchronized boolean startResolution(ReviewCase resolving) {
    ReviewCase current = cases.get(key(resolving.tenant(), resolving.caseId()));
    if (current == null || current.status() != ReviewCase.Status.OPEN) {
      return false;
    }
    cases.put(key(resolving.tenant(), resolving.caseId()), resolving);
    return true;
  }

  @Override
  public synchronized void saveXref(CrossReference xref) {
    CrossReference before = xrefs.put(key(xref.tenant(), xref.platformPatientId()), xref);
    if (before != null && before.personId() != null && !before.personId().equals(xref.personId())) {
      Set<String> old = links.get(before.personId());
      if (old != null) {
        old.remove(xref.platformPatientId());
      }
    }
    if (xref.personId() != null) {
      links.computeIfAbsent(xref.personId(), k -> new LinkedHashSet<>()).add(xref.platformPatientId());
    }
  }

  @Override
  public synchronized boolean finishReplay(String tenant, String platformPatientId, int replayed) {
    CrossReference x = xrefs.get(key(tenant, platformPatientId));
    if (x.parkedCount() != replayed) {
      return false;
    }
    xrefs.put(key(tenant, platformPatientId), x.withPerson(x.personId(), State.LINKED));
    return true;
  }

  @Override
  public synchronized void savePerson(Person person) {
    persons.put(person.personId(), person);
  }

  @Override
  public synchronized void mapIdentifier(String tenant, Identifier identifier, String personId) {
    identifiers.put(key(tenant, identifier), personId);
  }

  @Override
  public synchronized void file(String personId, NormalizedPerson record, Set<String> keys) {
    index.file(personId, record, keys);
  }

  @Override
  public synchronized long bulkLoad(List<BulkChart> charts) {
    long n = 0;
    for (BulkChart c : charts) {
      persons.put(c.person().personId(), c.person());
      for (Identifier id : c.identifiers()) {
        identifiers.put(key(c.person().tenant(), id), c.person().personId());
      }
      index.file(c.person().personId(), c.record(), c.keys());
      n += 2 + c.identifiers().size() + c.keys().size();
    }
    return n;
  }
}
