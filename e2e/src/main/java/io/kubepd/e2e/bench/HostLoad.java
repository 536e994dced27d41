package io.kubepd.e2e.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How busy the machine was while the benchmark ran: the 1-minute load average sampled along the way, and the share
 * of CPU time spent outside idle between start and stop. Other work on the machine is included on purpose.
 */
final class HostLoad {
  private final List<Double> loads = new ArrayList<>();
  private final long[] startTicks;
  private long[] stopTicks;

  private HostLoad() {
    startTicks = cpuTicks();
    sample();
  }

  static HostLoad start() {
    return new HostLoad();
  }

  void sample() {
    loads.add(Double.parseDouble(read(Path.of("/proc/loadavg")).split(" ")[0]));
  }

  void stop() {
    sample();
    stopTicks = cpuTicks();
  }

  double firstLoad() {
    return loads.get(0);
  }

  double meanLoad() {
    return loads.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }

  double maxLoad() {
    return loads.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
  }

  /** Busy share of all CPUs between start and stop, 0..1. */
  double busy() {
    long total = stopTicks[0] - startTicks[0];
    long idle = stopTicks[1] - startTicks[1];
    return total == 0 ? 0 : (double) (total - idle) / total;
  }

  static int cpus() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** Total and idle (idle + iowait) ticks of all CPUs, from the first line of /proc/stat. */
  private static long[] cpuTicks() {
    String[] fields = read(Path.of("/proc/stat")).lines().findFirst().orElseThrow().trim().split("\\s+");
    long total = 0;
    // cpu user nice system idle iowait irq softirq steal; guest times are already counted in user and nice.
    for (int i = 1; i <= 8 && i < fields.length; i++) {
      total += Long.parseLong(fields[i]);
    }
    return new long[] {total, Long.parseLong(fields[4]) + Long.parseLong(fields[5])};
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
