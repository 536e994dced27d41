package io.kubepd.e2e.bench;

import io.kubepd.testkit.lab.LabAssumptions;
import io.kubepd.testkit.lab.LabException;
import io.kubepd.testkit.lab.LabNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * ISC dhclient ({@code isc-dhcp-client}) asking for one prefix ({@code -6 -P}) in the foreground. It cannot skip the
 * random 0..1 s before its first Solicit: {@code initial-delay} in dhclient.conf only acts on DHCPv4, and
 * {@code start_init6} always waits {@code random() % SOL_MAX_DELAY}.
 */
record DhclientClient() implements BenchClient {
  @Override
  public String name() {
    return "dhclient";
  }

  @Override
  public List<String> command(LabNode node, Path dir, EventHook hook) {
    Path conf = dir.resolve("dhclient6.conf");
    try {
      Files.writeString(conf, "send dhcp6.rapid-commit;\n");
    } catch (IOException e) {
      throw new LabException("cannot write " + conf + ": " + e.getMessage(), e);
    }
    // The lease file also holds the DUID: a fresh file per run means a fresh DUID-LLT.
    return List.of(binary().toString(), "-6", "-P", "-d", "-cf", conf.toString(),
        "-lf", dir.resolve("dhclient6.leases").toString(), "-pf", dir.resolve("dhclient6.pid").toString(),
        "-sf", hook.script().toString(), node.interfaceName());
  }

  @Override
  public String processName() {
    return "dhclient";
  }

  @Override
  public String describe() {
    return "`dhclient -6 -P -d -cf CONF -lf LEASES -pf PID -sf HOOK IF`, CONF: `send dhcp6.rapid-commit;`";
  }

  static Path binary() {
    return LabAssumptions.findBinary("dhclient")
        .orElseThrow(() -> new LabException("dhclient not found (Debian package isc-dhcp-client)"));
  }
}
