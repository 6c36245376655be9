package io.telebridge.tests.fhir;

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
 * The real FHIR R4 server the context tests read from: HAPI FHIR's JPA server (H2 in memory) in a
 * plain Spring context, served by Jetty on a loopback port at {@code /fhir}. Started once per test JVM
 * ({@link #shared()}; failsafe runs every IT in one JVM) because it takes ≈ 20 s and ≈ 1 GB, stopped by
 * a shutdown hook. Stands in for a separate process: it has its own FhirContext (the Spring bean).
 */
public final class FhirTestServer {

  private static FhirTestServer shared;

  public static synchronized FhirTestServer shared() {
    if (shared == null) {
      long t0 = System.nanoTime();
      shared = new FhirTestServer();
      System.out.printf("FhirTestServer: HAPI FHIR JPA server started in %.1f s at %s%n",
          (System.nanoTime() - t0) / 1e9, shared.baseUrl());
      FhirTestServer s = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "fhir-test-server-stop"));
    }
    return shared;
  }

  private final AnnotationConfigApplicationContext spring;
  private final Server jetty;
  private final String baseUrl;

  private FhirTestServer() {
    spring = new AnnotationConfigApplicationContext(Config.class);
    FhirContext fhir = spring.getBean(FhirContext.class);
    RestfulServer restful = new RestfulServer(fhir);
    restful.registerProviders(spring.getBean(ResourceProviderFactory.class).createProviders());
    restful.registerProvider(spring.getBean(JpaSystemProvider.class));
    restful.setPagingProvider(spring.getBean(DatabaseBackedPagingProvider.class));
    restful.setDefaultResponseEncoding(EncodingEnum.JSON);
    jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
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
    baseUrl = "http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort() + "/fhir";
  }

  /** e.g. {@code http://127.0.0.1:41234/fhir} (no trailing slash). */
  public String baseUrl() {
    return baseUrl;
  }

  void stop() {
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
      JdbcConnectionPool pool = JdbcConnectionPool.create(
          "jdbc:h2:mem:fhir-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
      pool.setMaxConnections(10);
      return pool;
    }

    @Bean
    public LocalContainerEntityManagerFactoryBean entityManagerFactory(ConfigurableListableBeanFactory beans,
        FhirContext fhir, JpaStorageSettings settings) {
      LocalContainerEntityManagerFactoryBean f = HapiEntityManagerFactoryUtil.newEntityManagerFactory(beans, fhir,
          settings);
      f.setPersistenceUnitName("telebridge_test_fhir");
      f.setDataSource(dataSource());
      Properties p = new Properties();
      p.put("hibernate.dialect", HapiFhirH2Dialect.class.getName());
      p.put("hibernate.hbm2ddl.auto", "update");
      p.put("hibernate.search.enabled", "false");
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
