package io.kubepd.testkit.lab;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline; the lab's only way to wait for outside processes. */
public final class Poll {
  // Server start-up and DHCPv6 exchanges take tens to hundreds of milliseconds; finer polling only burns CPU.
  private static final Duration INTERVAL = Duration.ofMillis(25);

  private Poll() {}

  /** Returns once {@code condition} holds; throws {@link LabException} naming {@code what} after {@code timeout}. */
  public static void until(Duration timeout, String what, BooleanSupplier condition) {
    untilPresent(timeout, what, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
  }

  /** Returns the first value {@code probe} yields; throws {@link LabException} naming {@code what} after {@code timeout}. */
  public static <T> T untilPresent(Duration timeout, String what, Supplier<Optional<T>> probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new LabException("timed out after " + timeout.toMillis() + " ms waiting for " + what);
      }
      LockSupport.parkNanos(Math.min(left, INTERVAL.toNanos()));
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new LabException("interrupted while waiting for " + what);
      }
    }
  }
}
