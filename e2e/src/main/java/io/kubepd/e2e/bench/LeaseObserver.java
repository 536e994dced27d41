package io.kubepd.e2e.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubepd.crd.v1alpha1.LeasePhase;
import io.kubepd.crd.v1alpha1.PlannedRoute;
import io.kubepd.crd.v1alpha1.PrefixLease;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Every version of every PrefixLease as an informer (list, then watch) on the API server delivers it, stamped with
 * the time this process received it. The stamps include the watch's delivery latency.
 */
final class LeaseObserver implements AutoCloseable {
  /** One version of a lease, reduced to what the benchmark compares; {@code plannedRoutes} are destinations. */
  record Observation(Instant at, String node, String specPrefix, String statusPrefix, LeasePhase phase,
      List<String> podCidrs, List<String> plannedRoutes) {
    /** True when the operator has written a Ready status for the prefix the agent reports. */
    boolean readyFor(String prefix) {
      return phase == LeasePhase.Ready && prefix.equals(specPrefix) && prefix.equals(statusPrefix)
          && !podCidrs.isEmpty();
    }
  }

  private final List<Observation> seen = new ArrayList<>();
  private final SharedIndexInformer<PrefixLease> informer;

  LeaseObserver(KubernetesClient client) {
    informer = client.resources(PrefixLease.class).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(PrefixLease lease) {
        record(lease);
      }

      @Override
      public void onUpdate(PrefixLease before, PrefixLease after) {
        record(after);
      }

      @Override
      public void onDelete(PrefixLease lease, boolean finalStateUnknown) {}
    });
  }

  private void record(PrefixLease lease) {
    Instant at = Instant.now();
    var status = lease.getStatus();
    Observation observation = new Observation(at, lease.getSpec().getNodeName(), lease.getSpec().getDelegatedPrefix(),
        status == null ? null : status.getDelegatedPrefix(), status == null ? null : status.getPhase(),
        status == null || status.getPodCIDRs() == null ? List.of() : List.copyOf(status.getPodCIDRs()),
        status == null || status.getRoutes() == null ? List.of()
            : status.getRoutes().stream().map(PlannedRoute::getDestination).toList());
    synchronized (seen) {
      seen.add(observation);
    }
  }

  /** The newest version of {@code node}'s lease seen so far. */
  Optional<Observation> latest(String node) {
    synchronized (seen) {
      for (int i = seen.size() - 1; i >= 0; i--) {
        if (seen.get(i).node().equals(node)) {
          return Optional.of(seen.get(i));
        }
      }
    }
    return Optional.empty();
  }

  /** The first version of {@code node}'s lease received at or after {@code after} that satisfies {@code wanted}. */
  Optional<Observation> first(String node, Instant after, Predicate<Observation> wanted) {
    synchronized (seen) {
      return seen.stream().filter(o -> o.node().equals(node) && !o.at().isBefore(after) && wanted.test(o))
          .findFirst();
    }
  }

  @Override
  public void close() {
    informer.close();
  }
}
