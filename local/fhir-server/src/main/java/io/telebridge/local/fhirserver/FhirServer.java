package io.telebridge.local.fhirserver;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.binary.api.IBinaryStorageSvc;
import ca.uhn.fhir.jpa.binstore.MemoryBinaryStorageSvcImpl;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import jakarta.persistence.EntityManagerFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.h2.jdbcx.JdbcConnectionPool;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

/**
 * The real FHIR R4 server of the local stack and of the context tests: HAPI FHIR's JPA server (H2, in
 * memory or in a file) in a plain Spring context, served by Jetty at {@code /fhir}. It takes ≈ 20 s and
 * ≈ 1 GB: the local stack runs it as a child process ({@link FhirServerMain}, its own jar), the tests
 * once per test JVM ({@link #shared()}; failsafe runs every IT in one JVM), stopped by a shutdown hook.
 * It has its own FhirContext (the Spring bean), as a separate server would.
 */
public final class FhirServer implements AutoCloseable {

  private static FhirServer shared;

  /** One in-memory server on a free loopback port per JVM (the tests'). */
  public static synchronized FhirServer shared() {
    if (shared == null) {
      long t0 = System.nanoTime();
      shared = start("127.0.0.1", 0, null);
      System.out.printf("FhirServer: HAPI FHIR JPA server started in %.1f s at %s%n",
          (System.nanoTime() - t0) / 1e9, shared.baseUrl());
      FhirServer s = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(s::close, "fhir-server-stop"));
    }
    return shared;
  }

  /**
   * @param port 0 for a free one
   * @param h2File the H2 database file (without {@code .mv.db}), kept across restarts; {@code null}: in memory
   */
  public static synchronized FhirServer start(String host, int port, Path h2File) {
    JDBC_URL.set(h2File == null ? "jdbc:h2:mem:fhir-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"
        : "jdbc:h2:file:" + h2File.toAbsolutePath() + ";WRITE_DELAY=0");
    try {
      return new FhirServer(host, port);
    } finally {
      JDBC_URL.remove();
    }
  }

  /** The JDBC URL for the Spring context being built (Config reads it; start() is synchronized). */
  private static final ThreadLocal<String> JDBC_URL = new ThreadLocal<>();

  private final AnnotationConfigApplicationContext spring;
  private final Server jetty;
  private final String baseUrl;

  private FhirServer(String host, int port) {
    spring = new AnnotationConfigApplicationContext(Config.class);
    FhirContext fhir = spring.getBean(FhirContext.class);
    RestfulServer restful = new RestfulServer(fhir);
    restful.registerProviders(spring.getBean(ResourceProviderFactory.class).createProviders());
    restful.registerProvider(spring.getBean(JpaSystemProvider.class));
    restful.setPagingProvider(spring.getBean(DatabaseBackedPagingProvider.class));
    restful.setDefaultResponseEncoding(EncodingEnum.JSON);
    jetty = new Server(new InetSocketAddress(host, port));
    ServletContextHandler handler = new ServletContextHandler();
    handler.setContextPath("/");
    handler.addServlet(new ServletHolder(restful), "/fhir/*");
    jetty.setHandler(handler);
    try {
      jetty.start();
    } catch (Exception e) {
      spring.close();
      throw new IllegalStateException("Jetty did not start", e);
    }
    baseUrl = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort() + "/fhir";
  }

  /** e.g. {@code http://127.0.0.1:41234/fhir} (no trailing slash). */
  public String baseUrl() {
    return baseUrl;
  }

  @Override
  public void close() {
    try {
      jetty.stop();
    } catch (Exception e) {
      // the JVM is exiting
    }
    spring.close();
  }

  @Configuration
  @Import({JpaR4Config.class, HapiJpaConfig.class, JpaBatch2Config.class, Batch2JobsConfig.class,
      ThreadPoolFactoryConfig.class, SubscriptionChannelConfig.class})
  static class Config {

    @Bean
    public JpaStorageSettings storageSettings() {
      JpaStorageSettings s = new JpaStorageSettings();
      s.setAllowExternalReferences(true);
      return s;
    }

    @Bean
    public SubscriptionSettings subscriptionSettings() {
      return new SubscriptionSettings();
    }

    @Bean
    public PartitionSettings partitionSettings() {
      return new PartitionSettings();
    }

    @Bean
    public DataSource dataSource() {
      String url = JDBC_URL.get();
      JdbcConnectionPool pool = JdbcConnectionPool.create(url != null ? url
          : "jdbc:h2:mem:fhir-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
      pool.setMaxConnections(10);
      return pool;
    }

    @Bean
    public LocalContainerEntityManagerFactoryBean entityManagerFactory(ConfigurableListableBeanFactory beans,
        FhirContext fhir, JpaStorageSettings settings) {
      LocalContainerEntityManagerFactoryBean f = HapiEntityManagerFactoryUtil.newEntityManagerFactory(beans, fhir,
          settings);
      f.setPersistenceUnitName("telebridge_local_fhir");
      f.setDataSource(dataSource());
      Properties p = new Properties();
      p.put("hibernate.dialect", HapiFhirH2Dialect.class.getName());
      p.put("hibernate.hbm2ddl.auto", "update");
      p.put("hibernate.search.enabled", "false");
      // Spring lists the entity classes; Hibernate scanning the shaded jar (300 MB) itself took minutes
      p.put("hibernate.archive.autodetection", "none");
      p.put("hibernate.show_sql", "false");
      f.setJpaProperties(p);
      return f;
    }

    @Bean
    public JpaTransactionManager transactionManager(EntityManagerFactory emf) {
      return new JpaTransactionManager(emf);
    }

    @Bean
    public IBinaryStorageSvc binaryStorage() {
      return new MemoryBinaryStorageSvcImpl();
    }
  }
}
