package io.kubepd.operator.health;

import io.kubepd.crd.v1alpha1.LeasePhase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** The operator's Prometheus metrics: reconcile latency, leases by phase, conflicts, renumberings, JVM memory. */
public final class OperatorMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer reconcile;
  private final Counter conflicts;
  private final Counter renumberings;
  private final Counter orphansDeleted;
  private final Map<String, LeasePhase> phases = new ConcurrentHashMap<>();
  private final Map<LeasePhase, AtomicInteger> byPhase = new EnumMap<>(LeasePhase.class);

  public OperatorMetrics() {
    reconcile = Timer.builder("kubepd_reconcile")
        .description("Time to reconcile one PrefixLease, publishing included")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
    conflicts = Counter.builder("kubepd_conflicts").description("Leases that went into Conflict").register(registry);
    renumberings = Counter.builder("kubepd_renumberings")
        .description("Leases whose delegated prefix changed while allocated").register(registry);
    orphansDeleted = Counter.builder("kubepd_orphaned_leases_deleted")
        .description("Leases deleted because their Node is gone").register(registry);
    for (LeasePhase phase : LeasePhase.values()) {
      AtomicInteger count = new AtomicInteger();
      byPhase.put(phase, count);
      Gauge.builder("kubepd_leases", count, AtomicInteger::get)
          .description("PrefixLeases by phase, as this replica last reconciled them")
          .tag("phase", phase.name())
          .register(registry);
    }
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
  }

  /** Times one reconciliation. */
  public <T> T timeReconcile(Supplier<T> work) {
    return reconcile.record(work);
  }

  /** Records the phase a lease was reconciled into. */
  public void leasePhase(String lease, LeasePhase phase) {
    LeasePhase previous = phases.put(lease, phase);
    if (previous != phase) {
      if (previous != null) {
        byPhase.get(previous).decrementAndGet();
      }
      byPhase.get(phase).incrementAndGet();
    }
  }

  /** Forgets a deleted lease. */
  public void leaseDeleted(String lease) {
    LeasePhase previous = phases.remove(lease);
    if (previous != null) {
      byPhase.get(previous).decrementAndGet();
    }
  }

  public void conflict() {
    conflicts.increment();
  }

  public void renumbering() {
    renumberings.increment();
  }

  public void orphanDeleted() {
    orphansDeleted.increment();
  }

  /** Registers a gauge read from elsewhere (e.g. events dropped). */
  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  /** Number of reconciliations timed so far. */
  public long reconciliations() {
    return reconcile.count();
  }

  /** Leases in a phase. */
  public int leases(LeasePhase phase) {
    return byPhase.get(phase).get();
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }
}
