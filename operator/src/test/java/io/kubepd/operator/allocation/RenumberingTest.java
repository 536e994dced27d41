package io.kubepd.operator.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RenumberingTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final Ipv6Prefix NEW = Ipv6Prefix.parse("2001:db8:0:200::/56");
  private static final Ipv6Prefix OLD = Ipv6Prefix.parse("2001:db8:0:100::/56");
  private static final Ipv6Prefix OLDER = Ipv6Prefix.parse("2001:db8:0:300::/56");
  private static final Optional<Ipv6Prefix> NONE = Optional.empty();

  @Test
  void theAgentsReportWins() {
    List<DrainingTerm> terms = Renumbering.drainingTerms(NEW,
        List.of(new DrainingTerm(OLD, NOW.plusSeconds(10))),
        List.of(new DrainingTerm(OLD, NOW.plusSeconds(99))),
        Optional.of(OLD), NONE, Optional.of(NOW.plusSeconds(500)), NOW);
    assertThat(terms).containsExactly(new DrainingTerm(OLD, NOW.plusSeconds(10)));
  }

  @Test
  void theReplacedPrefixDrainsUntilItsPublishedEndWithoutAReport() {
    assertThat(Renumbering.drainingTerms(NEW, List.of(), List.of(), Optional.of(OLD), NONE,
        Optional.of(NOW.plusSeconds(30)), NOW)).containsExactly(new DrainingTerm(OLD, NOW.plusSeconds(30)));
    assertThat(Renumbering.drainingTerms(NEW, List.of(), List.of(), Optional.of(OLD), NONE, Optional.empty(), NOW))
        .containsExactly(new DrainingTerm(OLD, NOW.plus(Renumbering.UNKNOWN_LIFETIME_DRAIN)));
  }

  @Test
  void drainsAlreadyPublishedStayUntilTheyEnd() {
    List<DrainingTerm> published = List.of(new DrainingTerm(OLDER, NOW.plusSeconds(5)));
    assertThat(Renumbering.drainingTerms(NEW, List.of(), published, Optional.of(NEW), NONE, Optional.empty(), NOW))
        .containsExactly(new DrainingTerm(OLDER, NOW.plusSeconds(5)));
    assertThat(Renumbering.drainingTerms(NEW, List.of(), published, Optional.of(NEW), NONE, Optional.empty(),
        NOW.plusSeconds(5))).isEmpty();
  }

  @Test
  void theCurrentPrefixNeverDrains() {
    assertThat(Renumbering.drainingTerms(NEW, List.of(new DrainingTerm(NEW, NOW.plusSeconds(10))),
        List.of(new DrainingTerm(NEW, NOW.plusSeconds(10))), Optional.of(NEW), NONE, Optional.empty(), NOW))
        .isEmpty();
  }

  @Test
  void renumberingBackAndForthDrainsTheOtherOne() {
    List<DrainingTerm> terms = Renumbering.drainingTerms(OLD, List.of(),
        List.of(new DrainingTerm(OLD, NOW.plusSeconds(10))), Optional.of(NEW), NONE,
        Optional.of(NOW.plusSeconds(60)), NOW);
    assertThat(terms).containsExactly(new DrainingTerm(NEW, NOW.plusSeconds(60)));
  }

  @Test
  void aDrainKeepsThePublishedExcludedPrefixWhateverSaysWhenItEnds() {
    Optional<Ipv6Prefix> oldExcluded = Optional.of(Ipv6Prefix.parse("2001:db8:0:100::/64"));
    Optional<Ipv6Prefix> olderExcluded = Optional.of(Ipv6Prefix.parse("2001:db8:0:3ff::/64"));
    // The agent reports when OLD ends but knows nothing of exclusions; the previous status knew OLD's.
    List<DrainingTerm> terms = Renumbering.drainingTerms(NEW,
        List.of(new DrainingTerm(OLD, NOW.plusSeconds(10)), new DrainingTerm(OLDER, NOW.plusSeconds(20))),
        List.of(new DrainingTerm(OLDER, NOW.plusSeconds(99), olderExcluded)),
        Optional.of(OLD), oldExcluded, Optional.of(NOW.plusSeconds(500)), NOW);
    assertThat(terms).containsExactly(
        new DrainingTerm(OLD, NOW.plusSeconds(10), oldExcluded),
        new DrainingTerm(OLDER, NOW.plusSeconds(20), olderExcluded));
  }
}
