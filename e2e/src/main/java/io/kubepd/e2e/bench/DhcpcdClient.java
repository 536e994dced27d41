package io.kubepd.e2e.bench;

import io.kubepd.testkit.lab.LabAssumptions;
import io.kubepd.testkit.lab.LabException;
import io.kubepd.testkit.lab.LabNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * dhcpcd 9 ({@code dhcpcd-base}) in the foreground, DHCPv6 prefix delegation only. dhcpcd keeps its DUID and leases
 * in {@code /var/lib/dhcpcd} and its sockets and PID files in {@code /run/dhcpcd}, fixed at build time; so it runs in
 * a private mount namespace where a tmpfs covers {@code /run} and the run's own directory covers
 * {@code /var/lib/dhcpcd}: every run starts empty and the host's files are never touched.
 */
record DhcpcdClient() implements BenchClient {
  private static final Path DB_DIR = Path.of("/var/lib/dhcpcd");

  @Override
  public String name() {
    return "dhcpcd";
  }

  @Override
  public List<String> command(LabNode node, Path dir, EventHook hook) {
    if (!Files.isDirectory(DB_DIR)) {
      throw new LabException(DB_DIR + " is missing; the dhcpcd-base package creates it (reinstall it)");
    }
    Path conf = dir.resolve("dhcpcd.conf");
    Path db = dir.resolve("db");
    try {
      Files.createDirectory(db);
      Files.writeString(conf, config(node.interfaceName(), hook.script()));
    } catch (IOException e) {
      throw new LabException("cannot prepare dhcpcd in " + dir + ": " + e.getMessage(), e);
    }
    String mountAndRun = "mount -t tmpfs -o mode=0755,size=4m kubepd-bench /run && mkdir /run/dhcpcd"
        + " && mount --bind \"$0\" " + DB_DIR + " && exec \"$1\" -B -f \"$2\" \"$3\"";
    // unshare and sh exec in place, so the PID the lab sees is dhcpcd's own.
    return List.of("unshare", "--mount", "--propagation", "private", "/bin/sh", "-c", mountAndRun,
        db.toString(), binary().toString(), conf.toString(), node.interfaceName());
  }

  static String config(String interfaceName, Path hook) {
    return """
        # Prefix delegation only: no DHCPv4, no router solicitation to wait for.
        ipv6only
        noipv6rs
        # Skip the random delay before the first Solicit.
        nodelay
        # Do not wait for udev: there is none behind the private /run.
        nodev
        option rapid_commit
        script HOOK
        interface IF
          ia_pd 1
        """.replace("HOOK", hook.toString()).replace("IF", interfaceName);
  }

  @Override
  public String processName() {
    return "dhcpcd";
  }

  @Override
  public String describe() {
    return "`dhcpcd -B -f CONF IF` in a private mount namespace, CONF: `ipv6only`, `noipv6rs`, `nodelay`, `nodev`, "
        + "`option rapid_commit`, `script HOOK`, `interface IF` / `ia_pd 1`";
  }

  static Path binary() {
    return LabAssumptions.findBinary("dhcpcd")
        .orElseThrow(() -> new LabException("dhcpcd not found (Debian package dhcpcd-base)"));
  }
}
