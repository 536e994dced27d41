package io.kubepd.e2e.bench;

import java.time.Duration;
import java.util.Map;

/** Where and how the benchmark ran, for the report's header. */
record BenchEnvironment(String date, String kernel, int cpus, String loadAtStart, String loadAtEnd,
    Map<String, String> versions, int rounds, int jvmRounds, Duration elapsed) {}
