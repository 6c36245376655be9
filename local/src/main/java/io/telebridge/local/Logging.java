package io.telebridge.local;

import org.slf4j.LoggerFactory;

/** Quiets the chatty libraries of the stand-ins (Pekko, ElasticMQ, H2, the AWS SDK). */
final class Logging {

  private static final String[] QUIET = {
    "org.elasticmq", "org.apache.pekko", "org.h2", "scalikejdbc", "com.zaxxer", "software.amazon.awssdk",
    "org.apache.commons"
  };

  private Logging() {}

  static void quietThirdParty() {
    try {
      if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext) {
        for (String name : QUIET) {
          ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(name)).setLevel(ch.qos.logback.classic.Level.WARN);
        }
        // "Could not addJvmShutdownHook" when the JVM stops on Ctrl-C: expected, the stack stops ElasticMQ itself
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.pekko.actor.CoordinatedShutdown"))
            .setLevel(ch.qos.logback.classic.Level.ERROR);
      }
    } catch (LinkageError e) {
      // logback is not the binding: leave logging as configured
    }
  }
}
