package io.kubepd.testkit.lab;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Checks the host can run the lab: root, working {@code ip netns}, the server and client binaries. A missing piece
 * skips the test with the reason, except under {@code CI=true}, where it fails: CI must never skip lab tests silently.
 */
public final class LabAssumptions {
  private static final String INSTALL_HINT = "run scripts/install-test-deps.sh as root";
  // Debian puts daemons in sbin, which a non-login PATH may lack.
  private static final List<String> EXTRA_PATH = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");
  private static final Map<String, Optional<String>> CHECKED = new ConcurrentHashMap<>();

  private LabAssumptions() {}

  /** Root and a working {@code ip netns}: what {@link NetnsLab} needs. */
  public static void assumeNetnsLab() {
    require(CHECKED.computeIfAbsent("netns", k -> netnsProblem()));
  }

  /** {@link #assumeNetnsLab()} plus ISC Kea's {@code kea-dhcp6}. */
  public static void assumeKea() {
    assumeNetnsLab();
    requireBinary("kea-dhcp6", "kea-dhcp6-server");
  }

  /** {@link #assumeNetnsLab()} plus ISC {@code dhcpd}. */
  public static void assumeIscDhcpd() {
    assumeNetnsLab();
    requireBinary("dhcpd", "isc-dhcp-server");
  }

  /** {@link #assumeNetnsLab()} plus ISC {@code dhclient}. */
  public static void assumeDhclient() {
    assumeNetnsLab();
    requireBinary("dhclient", "isc-dhcp-client");
  }

  /** {@link #assumeNetnsLab()} plus {@code socat}, for raw datagrams from inside a namespace. */
  public static void assumeSocat() {
    assumeNetnsLab();
    requireBinary("socat", "socat");
  }

  /** True when lab tests must fail rather than skip, as on CI. */
  public static boolean strict() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** The absolute path of {@code name} on PATH or in the sbin directories, if installed. */
  public static Optional<Path> findBinary(String name) {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    return Stream.concat(Stream.of(path.split(File.pathSeparator)), EXTRA_PATH.stream())
        .filter(d -> !d.isEmpty())
        .map(d -> Path.of(d, name))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** The absolute path of {@code name}, which must be installed. */
  public static Path binary(String name) {
    return findBinary(name).orElseThrow(() -> new LabException(name + " is not installed; " + INSTALL_HINT));
  }

  private static void requireBinary(String name, String debianPackage) {
    require(CHECKED.computeIfAbsent("binary:" + name, k -> findBinary(name).isPresent()
        ? Optional.empty()
        : Optional.of(name + " not found (Debian package " + debianPackage + "); " + INSTALL_HINT)));
  }

  private static void require(Optional<String> problem) {
    require(problem, strict());
  }

  static void require(Optional<String> problem, boolean strict) {
    problem.ifPresent(reason -> {
      if (strict) {
        Assertions.fail("DHCPv6 lab unavailable and CI=true, so failing instead of skipping: " + reason);
      }
      Assumptions.abort("DHCPv6 lab unavailable: " + reason);
    });
  }

  private static Optional<String> netnsProblem() {
    try {
      int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      if (uid != 0) {
        return Optional.of("network namespaces need root, running as uid " + uid);
      }
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.of("cannot tell the user id from /proc/self (not Linux?): " + e);
    }
    if (findBinary("ip").isEmpty()) {
      return Optional.of("ip not found (Debian package iproute2); " + INSTALL_HINT);
    }
    // Root is not enough inside some containers; only creating a namespace proves it works.
    String probe = "kpd-" + ProcessHandle.current().pid() + "-"
        + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000)) + "-probe";
    ExecResult add = Exec.run(List.of("ip", "netns", "add", probe), Duration.ofSeconds(10));
    if (!add.ok()) {
      return Optional.of("cannot create a network namespace: " + add);
    }
    Exec.run(List.of("ip", "netns", "del", probe), Duration.ofSeconds(10));
    return Optional.empty();
  }
}
