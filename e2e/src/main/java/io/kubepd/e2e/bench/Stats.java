package io.kubepd.e2e.bench;

import java.util.List;
import java.util.OptionalDouble;

/** Order statistics of a sample: median and nearest-rank percentiles. */
final class Stats {
  private Stats() {}

  static OptionalDouble median(List<Double> values) {
    if (values.isEmpty()) {
      return OptionalDouble.empty();
    }
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return OptionalDouble.of(n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2);
  }

  /** The smallest value with at least {@code percent} % of the sample at or below it. */
  static OptionalDouble percentile(List<Double> values, int percent) {
    if (values.isEmpty()) {
      return OptionalDouble.empty();
    }
    List<Double> sorted = values.stream().sorted().toList();
    int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
    return OptionalDouble.of(sorted.get(Math.max(0, rank - 1)));
  }
}
