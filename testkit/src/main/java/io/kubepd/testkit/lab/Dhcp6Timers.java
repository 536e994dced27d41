package io.kubepd.testkit.lab;

import java.time.Duration;

/** The lease times a lab server hands out: T1 (renew), T2 (rebind), preferred and valid lifetime. */
public record Dhcp6Timers(Duration renew, Duration rebind, Duration preferred, Duration valid) {
  /** Short enough that a test sees Renew and Rebind within seconds. */
  public static final Dhcp6Timers SHORT =
      new Dhcp6Timers(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(40));

  public Dhcp6Timers {
    if (renew.compareTo(rebind) > 0 || rebind.compareTo(preferred) > 0 || preferred.compareTo(valid) > 0) {
      throw new IllegalArgumentException(
          "want renew <= rebind <= preferred <= valid, got " + renew + ", " + rebind + ", " + preferred + ", " + valid);
    }
  }

  /** Timers in whole seconds, as both servers take them. */
  public static Dhcp6Timers ofSeconds(long renew, long rebind, long preferred, long valid) {
    return new Dhcp6Timers(
        Duration.ofSeconds(renew), Duration.ofSeconds(rebind), Duration.ofSeconds(preferred), Duration.ofSeconds(valid));
  }
}
