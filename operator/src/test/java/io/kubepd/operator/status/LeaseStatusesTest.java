package io.kubepd.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.kubepd.crd.v1alpha1.Conditions;
import io.kubepd.crd.v1alpha1.LeasePhase;
import io.kubepd.crd.v1alpha1.NamedPrefix;
import io.kubepd.crd.v1alpha1.PlannedRoute;
import io.kubepd.crd.v1alpha1.PrefixLease;
import io.kubepd.crd.v1alpha1.PrefixLeaseStatus;
import io.kubepd.crd.v1alpha1.RouteType;
import io.kubepd.operator.allocation.Allocation;
import io.kubepd.operator.allocation.Allocator;
import io.kubepd.operator.allocation.CarvingPolicy;
import io.kubepd.operator.allocation.DrainingTerm;
import io.kubepd.operator.allocation.Ipv6Prefix;
import io.kubepd.operator.allocation.LeaseTerms;
import io.kubepd.operator.allocation.RoutePlanMode;
import io.kubepd.operator.allocation.SubPrefixRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaseStatusesTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant END = Instant.parse("2026-01-01T02:00:00Z");
  private static final ConditionSet.Desired POLICY =
      new ConditionSet.Desired(Conditions.POLICY_SELECTED, "True", "Selected", "p selects n");
  private static final ConditionSet.Desired PUBLISHED =
      new ConditionSet.Desired(Conditions.POD_CIDR_PUBLISHED, "True", "Published", "yes");

  private static PrefixLease lease() {
    PrefixLease lease = new PrefixLease();
    lease.getMetadata().setName("n-eth0");
    lease.getMetadata().setGeneration(3L);
    return lease;
  }

  @Test
  void aReadyAllocationBecomesAFullStatus() {
    Ipv6Prefix prefix = Ipv6Prefix.parse("2001:db8:0:100::/56");
    LeaseTerms terms = new LeaseTerms(prefix, Optional.empty(), LeaseTerms.ClientState.HOLDING, Optional.of(END),
        List.of(new DrainingTerm(Ipv6Prefix.parse("2001:db8:0:200::/56"), NOW.plusSeconds(60))));
    CarvingPolicy policy = new CarvingPolicy(64, 0, List.of(new SubPrefixRequest("lb", 64, 1)), RoutePlanMode.ANY_IP);
    Allocation allocation = Allocator.allocate(terms, policy, List.of(), NOW);
    PrefixLeaseStatus status = LeaseStatuses.build(lease(), allocation, new LeaseStatuses.Context(
        prefix.toString(), Optional.empty(), Optional.of(END), Optional.of("p"), POLICY, PUBLISHED), NOW);

    assertThat(status.getObservedGeneration()).isEqualTo(3L);
    assertThat(status.getPhase()).isEqualTo(LeasePhase.Ready);
    assertThat(status.getPolicy()).isEqualTo("p");
    assertThat(status.getExpiresAt()).isEqualTo("2026-01-01T02:00:00Z");
    assertThat(status.getPodCIDRs()).containsExactly("2001:db8:0:100::/64");
    assertThat(status.getSubPrefixes()).containsExactly(new NamedPrefix("lb", "2001:db8:0:101::/64"));
    assertThat(status.getRoutes()).contains(
        new PlannedRoute(RouteType.Local, "2001:db8:0:100::/64", "lo", null),
        new PlannedRoute(RouteType.Unreachable, "2001:db8:0:200::/56", null, "2026-01-01T00:01:00Z"));
    assertThat(status.getDraining()).singleElement().satisfies(d -> {
      assertThat(d.getDelegatedPrefix()).isEqualTo("2001:db8:0:200::/56");
      assertThat(d.getPodCIDRs()).containsExactly("2001:db8:0:200::/64");
      assertThat(d.getExpiresAt()).isEqualTo("2026-01-01T00:01:00Z");
    });
    assertThat(status.getConditions()).extracting(Condition::getType, Condition::getStatus).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Conditions.READY, "True"),
        org.assertj.core.groups.Tuple.tuple(Conditions.CONFLICT, "False"),
        org.assertj.core.groups.Tuple.tuple(Conditions.EXPIRED, "False"),
        org.assertj.core.groups.Tuple.tuple(Conditions.POD_CIDR_PUBLISHED, "True"),
        org.assertj.core.groups.Tuple.tuple(Conditions.POLICY_SELECTED, "True"));
    assertThat(status.getConditions().get(2).getMessage()).isEqualTo("valid until 2026-01-01T02:00:00Z");
  }

  @Test
  void theExcludedPrefixesArePublished() {
    Ipv6Prefix prefix = Ipv6Prefix.parse("2001:db8:0:100::/56");
    Optional<Ipv6Prefix> excluded = Optional.of(Ipv6Prefix.parse("2001:db8:0:100::/64"));
    Optional<Ipv6Prefix> oldExcluded = Optional.of(Ipv6Prefix.parse("2001:db8:0:2ff::/64"));
    LeaseTerms terms = new LeaseTerms(prefix, excluded, LeaseTerms.ClientState.HOLDING, Optional.of(END),
        List.of(new DrainingTerm(Ipv6Prefix.parse("2001:db8:0:200::/56"), NOW.plusSeconds(60), oldExcluded)));
    Allocation allocation = Allocator.allocate(terms, CarvingPolicy.DEFAULT, List.of(), NOW);
    PrefixLeaseStatus status = LeaseStatuses.build(lease(), allocation, new LeaseStatuses.Context(prefix.toString(),
        Optional.of("2001:db8:0:100::/64"), Optional.of(END), Optional.empty(), POLICY, PUBLISHED), NOW);

    assertThat(status.getExcludedPrefix()).isEqualTo("2001:db8:0:100::/64");
    assertThat(status.getPodCIDRs()).containsExactly("2001:db8:0:101::/64");
    assertThat(status.getDraining()).singleElement()
        .satisfies(d -> assertThat(d.getExcludedPrefix()).isEqualTo("2001:db8:0:2ff::/64"));
  }

  @Test
  void aConflictSaysSoAndPlansNothing() {
    Allocation conflict = Allocation.nothing(Allocation.Outcome.CONFLICT, Allocator.PREFIX_OVERLAP, "overlaps x",
        Optional.empty());
    PrefixLeaseStatus status = LeaseStatuses.build(lease(), conflict, new LeaseStatuses.Context(
        "2001:db8::/56", Optional.empty(), Optional.empty(), Optional.empty(), POLICY, PUBLISHED), NOW);
    assertThat(status.getPhase()).isEqualTo(LeasePhase.Conflict);
    assertThat(status.getRoutes()).isEmpty();
    assertThat(status.getExpiresAt()).isNull();
    assertThat(status.getExcludedPrefix()).isNull();
    assertThat(status.getPolicy()).isNull();
    assertThat(ConditionSet.find(status.getConditions(), Conditions.CONFLICT)).hasValueSatisfying(c -> {
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getMessage()).isEqualTo("overlaps x");
    });
    assertThat(ConditionSet.find(status.getConditions(), Conditions.READY))
        .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));
    assertThat(ConditionSet.find(status.getConditions(), Conditions.EXPIRED))
        .hasValueSatisfying(c -> assertThat(c.getMessage()).isEqualTo("valid lifetime infinite"));
  }

  @Test
  void everyOutcomeHasItsPhase() {
    assertThat(LeaseStatuses.phase(Allocation.Outcome.EXPIRED)).isEqualTo(LeasePhase.Expired);
    assertThat(LeaseStatuses.phase(Allocation.Outcome.INVALID)).isEqualTo(LeasePhase.Invalid);
  }
}
