package io.telebridge.local.emulator;

import org.apache.pekko.actor.ActorInitializationException;
import org.apache.pekko.actor.ActorKilledException;
import org.apache.pekko.actor.DeathPactException;
import org.apache.pekko.actor.OneForOneStrategy;
import org.apache.pekko.actor.SupervisorStrategy;
import org.apache.pekko.actor.SupervisorStrategyConfigurator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor of ElasticMQ's top-level actors (pekko's {@code guardian-supervisor-strategy}):
 * pekko's default, except that a failure of ElasticMQ's SQL store actor <b>resumes</b> it instead
 * of restarting it.
 *
 * <p>Why (found by {@code ./tb bench load} with concurrent pollers, and the cause of "an ElasticMQ
 * restart brings back deleted messages", docs/measurements.md §14): ElasticMQ hands its store actor
 * the queue's own mutable message; when a consumer's long poll receives the message at once, the
 * queue actor appends a receipt handle while the store actor is still serialising the send, the
 * store actor reads a null receipt and throws ({@code requirement failed}, spray-json). Restarted,
 * it comes back with an empty table of queues and from then on <i>acknowledges every change without
 * storing it</i>: deletes are not stored (a restart brings the deleted messages back) and neither
 * are sends (a restart loses them). Resumed, it keeps its table: only the one change that failed is
 * missing from the store (that send's message is in the store only once it is received or deleted
 * ... or never: lost if ElasticMQ restarts while that one message still waits), and the sender's
 * request fails after ElasticMQ's ask timeout and is retried by the SDK.
 */
public final class StoreKeepingSupervisor implements SupervisorStrategyConfigurator {

  private static final Logger LOG = LoggerFactory.getLogger(StoreKeepingSupervisor.class);

  /** The pekko setting, as a system property (read when ElasticMQ builds its actor system). */
  static final String PROPERTY = "pekko.actor.guardian-supervisor-strategy";

  @Override
  public SupervisorStrategy create() {
    return new OneForOneStrategy(-1, scala.concurrent.duration.Duration.Inf(), StoreKeepingSupervisor::decide);
  }

  /** pekko's default decider, but {@code resume} for the SQL store actor. */
  static SupervisorStrategy.Directive decide(Throwable t) {
    if (t instanceof ActorInitializationException || t instanceof ActorKilledException || t instanceof DeathPactException) {
      return SupervisorStrategy.stop();
    }
    if (fromTheStore(t)) {
      LOG.warn("ElasticMQ's store failed to record one change ({}); the store actor goes on (not restarted with an "
          + "empty queue table, which would stop storing anything)", t.getClass().getSimpleName());
      return SupervisorStrategy.resume();
    }
    if (t instanceof Exception) {
      return SupervisorStrategy.restart();
    }
    return SupervisorStrategy.escalate();
  }

  static boolean fromTheStore(Throwable t) {
    for (StackTraceElement e : t.getStackTrace()) {
      if (e.getClassName().startsWith("org.elasticmq.persistence.sql.SqlQueuePersistenceActor")) {
        return true;
      }
    }
    return false;
  }

  /** Makes ElasticMQ's next actor system use this supervisor. */
  static void install() {
    if (!StoreKeepingSupervisor.class.getName().equals(System.getProperty(PROPERTY))) {
      System.setProperty(PROPERTY, StoreKeepingSupervisor.class.getName());
      com.typesafe.config.ConfigFactory.invalidateCaches();
    }
  }
}
