package io.kubepd.e2e.bench;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/** One number measured per run, in milliseconds, MiB or a count; absent when the run could not yield it. */
enum Metric {
  /** Process start to the prefix reported: kubepd's JSON {@code bound} line, the peers' hook. */
  TIME_TO_PREFIX("time to prefix", "ms", r -> r.reported().map(t -> millis(t - r.start()))),
  /** Process start to its first Solicit on the wire: start-up plus any initial delay. */
  START_TO_SOLICIT("start → 1st Solicit", "ms", r -> r.wire().map(w -> millis(w.firstSolicit() - r.start()))),
  /** First Solicit to the Reply that delegated the prefix, from the capture. */
  WIRE("wire: 1st Solicit → Reply", "ms", r -> r.wire().map(w -> millis(w.wireNanos()))),
  /** First Solicit to Request (4-message): how long the client collected Advertises. */
  SOLICIT_TO_REQUEST("1st Solicit → Request", "ms", r -> r.wire().flatMap(w -> millis(w.requestAfterSolicitNanos()))),
  /** Advertise to Request (4-message): the client's reaction plus any deliberate wait. */
  ADVERTISE_TO_REQUEST("Advertise → Request", "ms",
      r -> r.wire().flatMap(w -> millis(w.requestAfterAdvertiseNanos()))),
  /** Time Kea took to answer, summed over the run's exchanges. */
  SERVER("Kea", "ms", r -> r.wire().map(w -> millis(w.serverNanos()))),
  /** Binding Reply on the wire to the prefix reported: the client's processing after the last packet. */
  REPLY_TO_REPORT("Reply → report", "ms",
      r -> r.wire().flatMap(w -> r.reported().map(t -> millis(t - w.reply())))),
  /** Report to the client's hook having run (kubepd: its --on-change command). */
  REPORT_TO_HOOK("report → hook", "ms", r -> r.reported().flatMap(t -> r.hook().map(h -> millis(h - t)))),
  /** Solicits sent before the binding Reply; more than one means a retransmission. */
  SOLICITS("Solicits", "", r -> r.wire().map(w -> (double) w.solicits())),
  PEAK_RSS("peak RSS", "MiB", r -> r.memory().map(m -> mebibytes(m.peakRssKib()))),
  STEADY_RSS("steady RSS", "MiB", r -> r.memory().map(m -> mebibytes(m.rssKib()))),
  STEADY_PSS("steady PSS", "MiB", r -> r.memory().map(m -> mebibytes(m.pssKib()))),
  PROCESSES("processes", "", r -> r.memory().map(m -> (double) m.processes()));

  final String label;
  final String unit;
  private final Function<RunResult, Optional<Double>> extractor;

  Metric(String label, String unit, Function<RunResult, Optional<Double>> extractor) {
    this.label = label;
    this.unit = unit;
    this.extractor = extractor;
  }

  Optional<Double> of(RunResult run) {
    return run.ok() ? extractor.apply(run) : Optional.empty();
  }

  /** Label with unit, for a column header. */
  String header() {
    return unit.isEmpty() ? label : label + " (" + unit + ")";
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  private static Optional<Double> millis(OptionalLong nanos) {
    return nanos.isPresent() ? Optional.of(millis(nanos.getAsLong())) : Optional.empty();
  }

  private static double mebibytes(long kib) {
    return kib / 1024.0;
  }
}
