package io.kubepd.e2e.bench;

import java.time.Duration;
import java.util.List;

/** Median, 99th percentile and maximum of a set of durations in milliseconds (nearest-rank percentiles). */
record Percentiles(int count, double p50Ms, double p99Ms, double maxMs) {
  static Percentiles of(List<Duration> durations) {
    if (durations.isEmpty()) {
      return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN);
    }
    double[] ms = durations.stream().mapToDouble(d -> d.toNanos() / 1e6).sorted().toArray();
    return new Percentiles(ms.length, rank(ms, 0.50), rank(ms, 0.99), ms[ms.length - 1]);
  }

  /** The smallest value with at least {@code quantile} of all values at or below it. */
  private static double rank(double[] sorted, double quantile) {
    int rank = (int) Math.ceil(quantile * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }
}
