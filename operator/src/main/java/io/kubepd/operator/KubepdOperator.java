package io.kubepd.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.processing.event.rate.LinearRateLimiter;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import io.kubepd.crd.v1alpha1.DelegationPolicy;
import io.kubepd.operator.health.HealthServer;
import io.kubepd.operator.health.OperatorMetrics;
import io.kubepd.operator.reconciler.DelegationPolicyReconciler;
import io.kubepd.operator.reconciler.PrefixLeaseReconciler;
import io.kubepd.operator.status.EventRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One operator replica: the PrefixLease and DelegationPolicy controllers on java-operator-sdk, leader election,
 * Events, and the health and metrics endpoints. {@link OperatorMain} runs one from the command line; tests start
 * several against one API server.
 */
public final class KubepdOperator implements AutoCloseable {
  /** The reporting component in Events. */
  public static final String COMPONENT = "kubepd-operator";

  private static final Logger log = LoggerFactory.getLogger(KubepdOperator.class);
  private static final int EVENT_QUEUE = 2_000;

  private final Operator operator;
  private final OperatorMetrics metrics;
  private final EventRecorder events;
  private final PrefixLeaseReconciler leaseReconciler;
  private final List<HealthServer> servers = new ArrayList<>();
  private volatile boolean leader;
  private volatile boolean closing;
  private int metricsPort = -1;
  private int healthPort = -1;

  private KubepdOperator(KubernetesClient client, OperatorSettings settings) {
    metrics = new OperatorMetrics();
    events = new EventRecorder(client, settings.eventNamespace(), COMPONENT, settings.identity(), settings.clock(),
        settings.eventsPerSecond(), EVENT_QUEUE);
    metrics.gauge("kubepd_events_dropped", "Events not written (queue full or API error)", events::dropped);
    metrics.gauge("kubepd_events_sent", "Events written", events::sent);
    metrics.gauge("kubepd_leader", "1 while this replica leads", () -> leader ? 1 : 0);
    SimpleInboundEventSource<DelegationPolicy> policyWakeups = new SimpleInboundEventSource<>("lease-counts");
    leaseReconciler = new PrefixLeaseReconciler(client, settings, metrics, events, policyWakeups);
    metrics.gauge("kubepd_prefix_claims", "Leases whose client holds an unexpired prefix", leaseReconciler::claims);
    DelegationPolicyReconciler policyReconciler =
        new DelegationPolicyReconciler(settings.clock(), leaseReconciler::leasesSelectedBy, policyWakeups);
    leader = !settings.leaderElection();
    operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withConcurrentReconciliationThreads(settings.reconcileThreads())
          .withStopOnInformerErrorDuringStartup(true)
          .withCacheSyncTimeout(Duration.ofMinutes(5));
      if (settings.leaderElection()) {
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(settings.leaseName(),
            settings.leaseNamespace(), settings.leaseDuration(), settings.renewDeadline(), settings.retryPeriod(),
            settings.identity(), new LeaderCallbacks(
                () -> {
                  leader = true;
                  log.info("leadership acquired identity={}", settings.identity());
                },
                () -> lostLeadership(settings),
                newLeader -> log.info("leader is identity={}", newLeader)),
            // java-operator-sdk would call System.exit itself, which hangs when it happens inside a shutdown hook
            // (SIGTERM -> close -> leader election stops); lostLeadership() exits only when not closing.
            false));
      }
    });
    operator.register(leaseReconciler, o -> o.withName(PrefixLeaseReconciler.NAME)
        // Deletions are reconciled too (without a finalizer): the node then publishes its next lease.
        .withTriggerReconcilerOnAllEvents(true)
        .withInformerListLimit(settings.informerListLimit())
        // Managed fields are a third of a lease and the operator never reads them.
        .withItemStore(new TransformingItemStore<>(lease -> {
          lease.getMetadata().setManagedFields(null);
          return lease;
        })));
    operator.register(policyReconciler, o -> o.withName(DelegationPolicyReconciler.NAME)
        // Lease counts change in bursts; a policy's status is rewritten at most twice a second.
        .withRateLimiter(new LinearRateLimiter(Duration.ofSeconds(1), 2)));
  }

  /**
   * Leadership ended. Event processing would go on, so unless the replica is closing anyway it exits (when so
   * configured), so that no two replicas ever reconcile at once; Kubernetes restarts it as a standby.
   */
  private void lostLeadership(OperatorSettings settings) {
    leader = false;
    if (closing) {
      log.info("leadership released identity={}", settings.identity());
      return;
    }
    log.warn("leadership lost identity={} exiting={}", settings.identity(), settings.exitOnLostLeadership());
    if (settings.exitOnLostLeadership()) {
      // From another thread: this one belongs to the leader elector, which exit's shutdown hooks stop.
      new Thread(() -> System.exit(1), "kubepd-exit").start();
    }
  }

  /** Starts a replica: endpoints first (so probes answer while caches fill), then the controllers. */
  public static KubepdOperator start(KubernetesClient client, OperatorSettings settings) {
    KubepdOperator replica = new KubepdOperator(client, settings);
    try {
      replica.serve(settings);
      replica.operator.start();
    } catch (RuntimeException e) {
      replica.close();
      throw e;
    }
    log.info("operator started identity={} leaderElection={} threads={}", settings.identity(),
        settings.leaderElection(), settings.reconcileThreads());
    return replica;
  }

  private void serve(OperatorSettings settings) {
    if (settings.healthPort() >= 0 && settings.healthPort() == settings.metricsPort()) {
      HealthServer both = new HealthServer(settings.healthPort(), this::live, this::ready, metrics::scrape);
      servers.add(both);
      healthPort = metricsPort = both.port();
      return;
    }
    if (settings.healthPort() >= 0) {
      HealthServer health = new HealthServer(settings.healthPort(), this::live, this::ready, null);
      servers.add(health);
      healthPort = health.port();
    }
    if (settings.metricsPort() >= 0) {
      HealthServer metricsServer = new HealthServer(settings.metricsPort(), null, null, metrics::scrape);
      servers.add(metricsServer);
      metricsPort = metricsServer.port();
    }
  }

  /** Live unless started with an informer that cannot watch. */
  public boolean live() {
    return !operator.getRuntimeInfo().isStarted() || operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  /** Ready once the caches are filled, leader or standby. */
  public boolean ready() {
    return operator.getRuntimeInfo().isStarted();
  }

  /** Whether this replica reconciles now. */
  public boolean leader() {
    return leader;
  }

  public OperatorMetrics metrics() {
    return metrics;
  }

  /** The bound port of /metrics, or -1. */
  public int metricsPort() {
    return metricsPort;
  }

  /** The bound port of /healthz and /readyz, or -1. */
  public int healthPort() {
    return healthPort;
  }

  /** Stops reconciling, flushes Events, closes the endpoints; the client stays open (the caller owns it). */
  @Override
  public void close() {
    closing = true;
    try {
      operator.stop();
    } finally {
      leader = false;
      leaseReconciler.close();
      events.close();
      servers.forEach(HealthServer::close);
    }
  }
}
