package io.kubepd.operator;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How an operator replica runs: identity and leader election, where Events go, ports, threads, and timing.
 *
 * @param identity this replica's name in the leader lease and in Events (the pod name)
 * @param leaderElection whether to elect a leader through a coordination.k8s.io Lease; off for a single replica
 * @param leaseNamespace namespace of the leader Lease
 * @param leaseName name of the leader Lease
 * @param leaseDuration how long a leader's lease lasts without renewal; a standby takes over after it
 * @param renewDeadline how long the leader keeps trying to renew before it gives up leadership
 * @param retryPeriod how often candidates try to acquire or renew
 * @param exitOnLostLeadership exit the process when leadership is lost, so no two replicas ever reconcile at once
 * @param eventNamespace namespace of Events about cluster-scoped objects (Nodes, PrefixLeases)
 * @param eventsPerSecond most Events written per second; bursts wait in a queue
 * @param metricsPort port of /metrics; negative: no metrics server
 * @param healthPort port of /healthz and /readyz; negative: no health server; equal to metricsPort: one server
 * @param reconcileThreads concurrent reconciliations
 * @param calicoRecheck how often to look for the Calico CRD again while a policy wants IPPools and it is missing
 * @param informerListLimit page size of the initial LIST of Nodes and PrefixLeases
 * @param clock the time source for lifetimes and conditions
 */
public record OperatorSettings(
    String identity,
    boolean leaderElection,
    String leaseNamespace,
    String leaseName,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod,
    boolean exitOnLostLeadership,
    String eventNamespace,
    int eventsPerSecond,
    int metricsPort,
    int healthPort,
    int reconcileThreads,
    Duration calicoRecheck,
    long informerListLimit,
    Clock clock) {

  public OperatorSettings {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(leaseNamespace, "leaseNamespace");
    Objects.requireNonNull(leaseName, "leaseName");
    Objects.requireNonNull(eventNamespace, "eventNamespace");
    Objects.requireNonNull(clock, "clock");
    if (eventsPerSecond < 1) {
      throw new IllegalArgumentException("eventsPerSecond must be at least 1, not " + eventsPerSecond);
    }
    if (reconcileThreads < 1) {
      throw new IllegalArgumentException("reconcileThreads must be at least 1, not " + reconcileThreads);
    }
  }

  /** Settings for one replica named {@code identity}: leader election on, ports 8080/8081, 32 threads. */
  public static OperatorSettings defaults(String identity) {
    return new OperatorSettings(identity, true, "kube-system", "kubepd-operator", Duration.ofSeconds(15),
        Duration.ofSeconds(10), Duration.ofSeconds(2), true, "default", 50, 8080, 8081, 32, Duration.ofSeconds(60),
        500, Clock.systemUTC());
  }

  public OperatorSettings withLeaderElection(boolean enabled, String namespace, String name) {
    return new OperatorSettings(identity, enabled, namespace, name, leaseDuration, renewDeadline, retryPeriod,
        exitOnLostLeadership, eventNamespace, eventsPerSecond, metricsPort, healthPort, reconcileThreads,
        calicoRecheck, informerListLimit, clock);
  }

  public OperatorSettings withLeaderTiming(Duration duration, Duration renew, Duration retry, boolean exitOnLoss) {
    return new OperatorSettings(identity, leaderElection, leaseNamespace, leaseName, duration, renew, retry,
        exitOnLoss, eventNamespace, eventsPerSecond, metricsPort, healthPort, reconcileThreads, calicoRecheck,
        informerListLimit, clock);
  }

  public OperatorSettings withPorts(int metrics, int health) {
    return new OperatorSettings(identity, leaderElection, leaseNamespace, leaseName, leaseDuration, renewDeadline,
        retryPeriod, exitOnLostLeadership, eventNamespace, eventsPerSecond, metrics, health, reconcileThreads,
        calicoRecheck, informerListLimit, clock);
  }

  public OperatorSettings withReconcileThreads(int threads) {
    return new OperatorSettings(identity, leaderElection, leaseNamespace, leaseName, leaseDuration, renewDeadline,
        retryPeriod, exitOnLostLeadership, eventNamespace, eventsPerSecond, metricsPort, healthPort, threads,
        calicoRecheck, informerListLimit, clock);
  }

  public OperatorSettings withCalicoRecheck(Duration recheck) {
    return new OperatorSettings(identity, leaderElection, leaseNamespace, leaseName, leaseDuration, renewDeadline,
        retryPeriod, exitOnLostLeadership, eventNamespace, eventsPerSecond, metricsPort, healthPort, reconcileThreads,
        recheck, informerListLimit, clock);
  }

  public OperatorSettings withEventsPerSecond(int perSecond) {
    return new OperatorSettings(identity, leaderElection, leaseNamespace, leaseName, leaseDuration, renewDeadline,
        retryPeriod, exitOnLostLeadership, eventNamespace, perSecond, metricsPort, healthPort, reconcileThreads,
        calicoRecheck, informerListLimit, clock);
  }

  public OperatorSettings withEventNamespace(String namespace) {
    return new OperatorSettings(identity, leaderElection, leaseNamespace, leaseName, leaseDuration, renewDeadline,
        retryPeriod, exitOnLostLeadership, namespace, eventsPerSecond, metricsPort, healthPort, reconcileThreads,
        calicoRecheck, informerListLimit, clock);
  }

  public OperatorSettings withInformerListLimit(long limit) {
    return new OperatorSettings(identity, leaderElection, leaseNamespace, leaseName, leaseDuration, renewDeadline,
        retryPeriod, exitOnLostLeadership, eventNamespace, eventsPerSecond, metricsPort, healthPort, reconcileThreads,
        calicoRecheck, limit, clock);
  }
}
