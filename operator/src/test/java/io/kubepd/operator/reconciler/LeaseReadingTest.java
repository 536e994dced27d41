package io.kubepd.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubepd.crd.v1alpha1.DeprecatedPrefix;
import io.kubepd.crd.v1alpha1.DhcpState;
import io.kubepd.crd.v1alpha1.DrainingAllocation;
import io.kubepd.crd.v1alpha1.LeasePhase;
import io.kubepd.crd.v1alpha1.PrefixLease;
import io.kubepd.crd.v1alpha1.PrefixLeaseStatus;
import io.kubepd.operator.allocation.DrainingTerm;
import io.kubepd.operator.allocation.Ipv6Prefix;
import io.kubepd.operator.allocation.LeaseTerms;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaseReadingTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static PrefixLease lease(String prefix) {
    PrefixLease lease = new PrefixLease();
    lease.getMetadata().setName("n-eth0");
    lease.getMetadata().setCreationTimestamp("2025-12-31T00:00:00Z");
    lease.getSpec().setNodeName("n");
    lease.getSpec().setDelegatedPrefix(prefix);
    lease.getSpec().setExpiresAt("2026-01-01T01:00:00Z");
    lease.getSpec().setDhcpState(DhcpState.Bound);
    return lease;
  }

  private static LeaseTerms terms(PrefixLease lease) {
    return ((LeaseReading.Reading.Terms) LeaseReading.read(lease, NOW)).terms();
  }

  @Test
  void readsTheSpec() {
    LeaseTerms terms = terms(lease("2001:DB8:0:100::/56"));
    assertThat(terms.delegatedPrefix()).hasToString("2001:db8:0:100::/56");
    assertThat(terms.expiresAt()).contains(Instant.parse("2026-01-01T01:00:00Z"));
    assertThat(terms.clientState()).isEqualTo(LeaseTerms.ClientState.HOLDING);
    assertThat(terms.draining()).isEmpty();
  }

  @Test
  void unreadableSpecsSayWhatIsWrong() {
    assertThat(LeaseReading.read(lease("2001:db8::1/56"), NOW))
        .isInstanceOfSatisfying(LeaseReading.Reading.Unreadable.class, u -> {
          assertThat(u.reason()).isEqualTo(LeaseReading.INVALID_PREFIX);
          assertThat(u.message()).startsWith("spec.delegatedPrefix \"2001:db8::1/56\" is not an IPv6 prefix");
        });
    PrefixLease badTime = lease("2001:db8::/56");
    badTime.getSpec().setExpiresAt("soon");
    assertThat(LeaseReading.read(badTime, NOW)).isInstanceOfSatisfying(LeaseReading.Reading.Unreadable.class,
        u -> assertThat(u.reason()).isEqualTo(LeaseReading.INVALID_TIME));
    assertThat(LeaseReading.claim(badTime)).isEmpty();
  }

  @Test
  void drainsComeFromTheReportAndFromTheLastReadyStatus() {
    PrefixLease lease = lease("2001:db8:0:300::/56");
    lease.getSpec().setDeprecatedPrefixes(List.of(
        new DeprecatedPrefix("2001:db8:0:200::/56", "2026-01-01T00:10:00Z"),
        new DeprecatedPrefix("not-a-prefix", "2026-01-01T00:10:00Z")));
    PrefixLeaseStatus status = new PrefixLeaseStatus();
    status.setPhase(LeasePhase.Ready);
    status.setDelegatedPrefix("2001:db8:0:100::/56");
    status.setExpiresAt("2026-01-01T00:30:00Z");
    status.setDraining(List.of(new DrainingAllocation("2001:db8:0:400::/56", List.of(), "2026-01-01T00:05:00Z")));
    lease.setStatus(status);
    assertThat(terms(lease).draining()).containsExactly(
        new DrainingTerm(Ipv6Prefix.parse("2001:db8:0:100::/56"), Instant.parse("2026-01-01T00:30:00Z")),
        new DrainingTerm(Ipv6Prefix.parse("2001:db8:0:200::/56"), Instant.parse("2026-01-01T00:10:00Z")),
        new DrainingTerm(Ipv6Prefix.parse("2001:db8:0:400::/56"), Instant.parse("2026-01-01T00:05:00Z")));

    // A status that was not Ready planned no routes, so nothing of it drains.
    status.setPhase(LeasePhase.Conflict);
    status.setDraining(List.of());
    lease.getSpec().setDeprecatedPrefixes(List.of());
    assertThat(terms(lease).draining()).isEmpty();
  }

  @Test
  void readsTheExcludedPrefix() {
    PrefixLease lease = lease("2001:db8:0:100::/56");
    assertThat(terms(lease).excludedPrefix()).isEmpty();
    lease.getSpec().setExcludedPrefix("2001:DB8:0:100::/64");
    assertThat(terms(lease).excludedPrefix()).contains(Ipv6Prefix.parse("2001:db8:0:100::/64"));
  }

  @Test
  void anExcludedPrefixTheSchemaShouldHaveRefusedMakesTheSpecUnreadable() {
    PrefixLease outside = lease("2001:db8:0:100::/56");
    outside.getSpec().setExcludedPrefix("2001:db8:0:200::/64");
    assertThat(LeaseReading.read(outside, NOW)).isInstanceOfSatisfying(LeaseReading.Reading.Unreadable.class, u -> {
      assertThat(u.reason()).isEqualTo(LeaseReading.INVALID_PREFIX);
      assertThat(u.message()).isEqualTo("spec.excludedPrefix 2001:db8:0:200::/64 is not a longer prefix inside "
          + "spec.delegatedPrefix 2001:db8:0:100::/56 (RFC 6603)");
    });
    PrefixLease malformed = lease("2001:db8:0:100::/56");
    malformed.getSpec().setExcludedPrefix("2001:db8:0:100::1/64");
    assertThat(LeaseReading.read(malformed, NOW)).isInstanceOfSatisfying(LeaseReading.Reading.Unreadable.class,
        u -> assertThat(u.message()).startsWith("spec.excludedPrefix \"2001:db8:0:100::1/64\""));
  }

  @Test
  void drainsKeepTheExcludedPrefixesTheStatusPublished() {
    PrefixLease lease = lease("2001:db8:0:300::/56");
    PrefixLeaseStatus status = new PrefixLeaseStatus();
    status.setPhase(LeasePhase.Ready);
    status.setDelegatedPrefix("2001:db8:0:100::/56");
    status.setExcludedPrefix("2001:db8:0:100::/64");
    status.setExpiresAt("2026-01-01T00:30:00Z");
    DrainingAllocation older = new DrainingAllocation("2001:db8:0:400::/56", List.of(), "2026-01-01T00:05:00Z");
    older.setExcludedPrefix("2001:db8:0:4ff::/64");
    // Not inside its prefix: ignored rather than trusted.
    DrainingAllocation odd = new DrainingAllocation("2001:db8:0:500::/56", List.of(), "2026-01-01T00:05:00Z");
    odd.setExcludedPrefix("2001:db8:0:600::/64");
    status.setDraining(List.of(older, odd));
    lease.setStatus(status);
    assertThat(terms(lease).draining()).containsExactly(
        new DrainingTerm(Ipv6Prefix.parse("2001:db8:0:100::/56"), Instant.parse("2026-01-01T00:30:00Z"),
            Optional.of(Ipv6Prefix.parse("2001:db8:0:100::/64"))),
        new DrainingTerm(Ipv6Prefix.parse("2001:db8:0:400::/56"), Instant.parse("2026-01-01T00:05:00Z"),
            Optional.of(Ipv6Prefix.parse("2001:db8:0:4ff::/64"))),
        new DrainingTerm(Ipv6Prefix.parse("2001:db8:0:500::/56"), Instant.parse("2026-01-01T00:05:00Z")));
  }

  @Test
  void clientStatesAndClaims() {
    PrefixLease lease = lease("2001:db8::/56");
    assertThat(LeaseReading.claim(lease)).hasValueSatisfying(c -> {
      assertThat(c.lease()).isEqualTo("n-eth0");
      assertThat(c.createdAt()).isEqualTo(Instant.parse("2025-12-31T00:00:00Z"));
      assertThat(c.expiresAt()).contains(Instant.parse("2026-01-01T01:00:00Z"));
    });
    lease.getSpec().setDhcpState(DhcpState.Released);
    assertThat(terms(lease).clientState()).isEqualTo(LeaseTerms.ClientState.RELEASED);
    assertThat(LeaseReading.claim(lease)).isEmpty();
    lease.getSpec().setDhcpState(DhcpState.Expired);
    assertThat(terms(lease).clientState()).isEqualTo(LeaseTerms.ClientState.EXPIRED);
    lease.getSpec().setDhcpState(DhcpState.Rebinding);
    assertThat(terms(lease).clientState()).isEqualTo(LeaseTerms.ClientState.HOLDING);
    lease.getMetadata().setCreationTimestamp(null);
    assertThat(LeaseReading.createdAt(lease)).isEqualTo(Instant.MAX);
  }
}
