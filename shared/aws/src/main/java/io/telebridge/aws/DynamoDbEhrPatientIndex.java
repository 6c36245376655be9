package io.telebridge.aws;

import io.telebridge.core.identity.EhrPatient;
import io.telebridge.core.identity.EhrPatientIndex;
import io.telebridge.core.model.Identifier;
import io.telebridge.matching.mpi.MatchingEhrPatientIndex;
import io.telebridge.matching.mpi.MatchingPatientResolver;
import java.time.Clock;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@link EhrPatientIndex} on the identity table: the matcher's EHR-patient use case
 * ({@link MatchingEhrPatientIndex}) over {@link DynamoDbIdentityStore}.
 */
public final class DynamoDbEhrPatientIndex implements EhrPatientIndex {

  /** The platform's PID-3 assigning authority when none is configured (the bundled EHR profile's). */
  public static final String DEFAULT_PLATFORM_AUTHORITY = "TELEHEALTH";

  private final MatchingEhrPatientIndex index;

  public DynamoDbEhrPatientIndex(DynamoDbClient dynamo, String table) {
    this(dynamo, table, DEFAULT_PLATFORM_AUTHORITY);
  }

  public DynamoDbEhrPatientIndex(DynamoDbClient dynamo, String table, String platformAuthority) {
    this(dynamo, table, platformAuthority, java.util.Map.of());
  }

  /** @param tenantAuthorities each tenant's platform assigning authority (an echo under another is not one) */
  public DynamoDbEhrPatientIndex(DynamoDbClient dynamo, String table, String platformAuthority,
      java.util.Map<String, String> tenantAuthorities) {
    DynamoDbIdentityStore store = new DynamoDbIdentityStore(dynamo, table);
    Clock clock = Clock.systemUTC();
    this.index = new MatchingEhrPatientIndex(store,
        new MatchingPatientResolver(store, store.candidateIndex(), platformAuthority, tenantAuthorities, clock), clock);
  }

  @Override
  public List<String> upsert(String tenant, EhrPatient patient) {
    return index.upsert(tenant, patient);
  }

  @Override
  public List<String> merge(String tenant, Identifier survivor, Identifier prior) {
    return index.merge(tenant, survivor, prior);
  }

  @Override
  public List<String> platformPatientsOf(String tenant, Identifier mrn) {
    return index.platformPatientsOf(tenant, mrn);
  }
}
