package io.kubepd.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void medianOfOddAndEvenSamples() {
    assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).hasValue(2.0);
    assertThat(Stats.median(List.of(4.0, 1.0, 2.0, 3.0))).hasValue(2.5);
    assertThat(Stats.median(List.of())).isEmpty();
  }

  @Test
  void p90IsNearestRank() {
    List<Double> tenValues = List.of(10.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0);
    assertThat(Stats.percentile(tenValues, 90)).hasValue(9.0);
    assertThat(Stats.percentile(List.of(5.0), 90)).hasValue(5.0);
  }
}
