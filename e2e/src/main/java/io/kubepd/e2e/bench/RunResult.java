package io.kubepd.e2e.bench;

import java.util.Optional;

/**
 * One run of one client: when it started and stopped (epoch nanoseconds), when it reported its prefix, its memory
 * two seconds later, and the wire exchange once the capture is read; or why it failed.
 *
 * @param reported when the prefix reached the outside: kubepd's JSON {@code bound} line, the peers' hook
 * @param hook when the client's hook ran for the prefix (for kubepd, its {@code --on-change} command)
 */
record RunResult(String client, ServerMode mode, int round, long start, long stop, Optional<Long> reported,
    Optional<Long> hook, Optional<ProcessMemory> memory, Optional<WireExchange> wire,
    Optional<String> failure) {

  boolean ok() {
    return failure.isEmpty() && reported.isPresent();
  }

  RunResult withWire(Optional<WireExchange> exchange) {
    return new RunResult(client, mode, round, start, stop, reported, hook, memory, exchange, failure);
  }
}
