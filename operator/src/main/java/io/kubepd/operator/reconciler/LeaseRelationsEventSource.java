package io.kubepd.operator.reconciler;

import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import io.kubepd.crd.v1alpha1.PrefixLease;
import io.kubepd.operator.allocation.Claim;
import io.kubepd.operator.allocation.Ipv6Prefix;
import io.kubepd.operator.allocation.PrefixClaims;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps the claim index in step with every PrefixLease change (it sees old and new versions, and deletions, before
 * event filtering) and reconciles the leases a change concerns: those overlapping the old or the new prefix, so that
 * a conflict ends as soon as its cause goes away.
 */
final class LeaseRelationsEventSource extends AbstractEventSource<Void, PrefixLease>
    implements ResourceEventAware<PrefixLease> {
  static final String NAME = "lease-relations";

  private final PrefixClaims claims;

  LeaseRelationsEventSource(PrefixClaims claims) {
    super(Void.class, NAME);
    this.claims = claims;
  }

  @Override
  public void onResourceCreated(PrefixLease lease) {
    update(lease);
  }

  @Override
  public void onResourceUpdated(PrefixLease lease, PrefixLease previous) {
    update(lease);
  }

  @Override
  public void onResourceDeleted(PrefixLease lease) {
    String name = lease.getMetadata().getName();
    claims.remove(name).ifPresent(claim -> wakeOverlapping(claim.prefix(), name));
  }

  /** Reconciles a lease soon. */
  void wake(String lease) {
    // Before start the controller's own informer is still listing, and every lease gets its own event anyway.
    if (isRunning()) {
      getEventHandler().handleEvent(new Event(new ResourceID(lease)));
    }
  }

  @Override
  public Set<Void> getSecondaryResources(PrefixLease primary) {
    return Set.of();
  }

  private void update(PrefixLease lease) {
    String name = lease.getMetadata().getName();
    Optional<Claim> current = LeaseReading.claim(lease);
    Optional<Claim> previous = current.isPresent() ? claims.put(current.get()) : claims.remove(name);
    if (!Objects.equals(previous, current)) {
      previous.ifPresent(claim -> wakeOverlapping(claim.prefix(), name));
      current.ifPresent(claim -> wakeOverlapping(claim.prefix(), name));
    }
  }

  private void wakeOverlapping(Ipv6Prefix prefix, String except) {
    for (Claim other : claims.overlapping(prefix)) {
      if (!other.lease().equals(except)) {
        wake(other.lease());
      }
    }
  }
}
