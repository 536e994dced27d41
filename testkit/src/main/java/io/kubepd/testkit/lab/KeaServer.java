package io.kubepd.testkit.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * ISC Kea's {@code kea-dhcp6} in the router namespace. Every file it uses (config, memfile lease database, server
 * DUID, control socket, PID and lock files) lives in its own directory under the lab's, never in /etc, /var or /run.
 * Reconfiguration goes through the control socket ({@code config-reload}); leases are read with
 * {@code lease6-get-all} while it runs and from the memfile CSV when it is stopped.
 */
public final class KeaServer extends ProcessDhcp6Server {
  private static final String HOOK_LEASE_COMMANDS = "libdhcp_lease_cmds.so";
  // Kea's result codes: 0 success, 3 "empty" (e.g. no leases); anything else is an error.
  private static final int RESULT_SUCCESS = 0;
  private static final int RESULT_EMPTY = 3;
  // Memfile lease_type column: 0 IA_NA, 1 IA_TA, 2 IA_PD.
  private static final String LEASE_TYPE_PD = "2";

  private final Path configFile;
  private final Path leaseFile;
  private final KeaControlSocket control;
  private final Optional<Path> leaseCommandsHook;
  private String version;

  KeaServer(NetnsLab lab, Dhcp6ServerConfig config) {
    super(lab, "kea", config);
    this.configFile = dir.resolve("kea-dhcp6.json");
    this.leaseFile = dir.resolve("leases6.csv");
    this.control = new KeaControlSocket(dir.resolve("kea.sock"));
    this.leaseCommandsHook = findHook(HOOK_LEASE_COMMANDS);
  }

  @Override
  public synchronized String implementation() {
    if (version == null) {
      version = Exec.run(List.of(LabAssumptions.binary("kea-dhcp6").toString(), "-v"), Duration.ofSeconds(5))
          .orThrow().stdout().strip();
    }
    return "ISC Kea " + version;
  }

  @Override
  List<String> command() {
    return List.of(LabAssumptions.binary("kea-dhcp6").toString(), "-c", configFile.toString());
  }

  @Override
  Map<String, String> environment() {
    // Without these Kea writes its PID file and logger lock file under /run/kea.
    return Map.of("KEA_PIDFILE_DIR", dir.toString(), "KEA_LOCKFILE_DIR", dir.toString());
  }

  @Override
  void beforeStart() {
    try {
      // A PID file left by a killed run makes Kea refuse to start if that PID was reused.
      try (Stream<Path> files = Files.list(dir)) {
        for (Path pidFile : files.filter(f -> f.getFileName().toString().endsWith(".pid")).toList()) {
          Files.delete(pidFile);
        }
      }
    } catch (IOException e) {
      throw new LabException("cannot clean " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  boolean ready(LabProcess running) {
    return Files.exists(control.path());
  }

  /** Writes the new config and has the running server load it ({@code config-reload}); sockets and leases stay. */
  @Override
  public synchronized void reconfigure(Dhcp6ServerConfig newConfig) {
    setConfig(newConfig);
    if (isRunning()) {
      command("config-reload", null);
      // Kea closes and reopens its DHCP sockets on reload; a client must not race that.
      awaitListening(() -> true);
    }
  }

  /**
   * Sends one command over the control socket and returns Kea's whole response ({@code result}, {@code text},
   * {@code arguments}); a result other than success or empty raises a {@link LabException}.
   */
  public JsonNode command(String command, JsonNode arguments) {
    ObjectNode request = Netns.JSON.createObjectNode().put("command", command);
    if (arguments != null) {
      request.set("arguments", arguments);
    }
    JsonNode response = control.send(request);
    int result = response.path("result").asInt(-1);
    if (result != RESULT_SUCCESS && result != RESULT_EMPTY) {
      throw new LabException("Kea rejected " + command + ": " + response + "; log " + log());
    }
    return response;
  }

  /** The control socket, for tests that talk to Kea directly. */
  public Path controlSocket() {
    return control.path();
  }

  @Override
  public List<DelegatedPrefixLease> leases() {
    if (isRunning() && leaseCommandsHook.isPresent()) {
      List<DelegatedPrefixLease> leases = new ArrayList<>();
      for (JsonNode lease : command("lease6-get-all", null).path("arguments").path("leases")) {
        if ("IA_PD".equals(lease.path("type").asText()) && lease.path("state").asInt() == 0) {
          leases.add(new DelegatedPrefixLease(
              new Ipv6Prefix(Ipv6Prefix.parseAddress(lease.path("ip-address").asText()), lease.path("prefix-len").asInt()),
              lease.path("duid").asText(), lease.path("iaid").asLong(),
              lease.path("preferred-lft").asLong(), lease.path("valid-lft").asLong()));
        }
      }
      return leases;
    }
    return readLeaseFile();
  }

  /** The memfile is an append-only log: the last line per prefix wins, and valid lifetime 0 marks a removed lease. */
  private List<DelegatedPrefixLease> readLeaseFile() {
    if (!Files.exists(leaseFile)) {
      return List.of();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(leaseFile);
    } catch (IOException e) {
      throw new LabException("cannot read Kea lease file " + leaseFile + ": " + e.getMessage(), e);
    }
    if (lines.isEmpty()) {
      return List.of();
    }
    List<String> header = List.of(lines.get(0).split(",", -1));
    Map<String, DelegatedPrefixLease> byPrefix = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",", -1);
      if (cells.length < header.size() || !LEASE_TYPE_PD.equals(cells[header.indexOf("lease_type")])) {
        continue;
      }
      String address = cells[header.indexOf("address")];
      long valid = Long.parseLong(cells[header.indexOf("valid_lifetime")]);
      if (valid == 0 || !"0".equals(cells[header.indexOf("state")])) {
        byPrefix.remove(address);
        continue;
      }
      byPrefix.put(address, new DelegatedPrefixLease(
          new Ipv6Prefix(Ipv6Prefix.parseAddress(address), Integer.parseInt(cells[header.indexOf("prefix_len")])),
          cells[header.indexOf("duid")], Long.parseLong(cells[header.indexOf("iaid")]),
          Long.parseLong(cells[header.indexOf("pref_lifetime")]), valid));
    }
    return List.copyOf(byPrefix.values());
  }

  @Override
  void writeConfig(Dhcp6ServerConfig config) {
    try {
      Files.writeString(configFile, Netns.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(render(config)));
    } catch (IOException e) {
      throw new LabException("cannot write Kea config " + configFile + ": " + e.getMessage(), e);
    }
  }

  /** The whole {@code Dhcp6} config for {@code config}, with every path inside this server's directory. */
  JsonNode render(Dhcp6ServerConfig config) {
    ObjectNode root = Netns.JSON.createObjectNode();
    ObjectNode dhcp6 = root.putObject("Dhcp6");
    dhcp6.putObject("interfaces-config").putArray("interfaces").add(config.interfaceName());
    dhcp6.putObject("lease-database")
        .put("type", "memfile").put("persist", true).put("name", leaseFile.toString())
        // Lease file cleanup would spawn kea-lfc, a process the lab did not start itself.
        .put("lfc-interval", 0);
    dhcp6.putObject("control-socket").put("socket-type", "unix").put("socket-name", control.path().toString());
    dhcp6.put("data-directory", dir.toString());
    ArrayNode hooks = dhcp6.putArray("hooks-libraries");
    leaseCommandsHook.ifPresent(hook -> hooks.addObject().put("library", hook.toString()));
    dhcp6.put("renew-timer", config.timers().renew().toSeconds())
        .put("rebind-timer", config.timers().rebind().toSeconds())
        .put("preferred-lifetime", config.timers().preferred().toSeconds())
        .put("valid-lifetime", config.timers().valid().toSeconds());
    ObjectNode subnet = dhcp6.putArray("subnet6").addObject()
        .put("id", 1)
        .put("subnet", config.subnet().toString())
        .put("interface", config.interfaceName())
        .put("rapid-commit", config.rapidCommit());
    ArrayNode optionData = subnet.putArray("option-data");
    if (!config.dnsServers().isEmpty()) {
      optionData.addObject().put("name", "dns-servers").put("data", String.join(", ", config.dnsServers()));
    }
    if (!config.domainSearch().isEmpty()) {
      optionData.addObject().put("name", "domain-search").put("data", String.join(", ", config.domainSearch()));
    }
    ObjectNode pool = subnet.putArray("pd-pools").addObject()
        .put("prefix", Ipv6Prefix.format(config.pool().prefix().address()))
        .put("prefix-len", config.pool().prefix().length())
        .put("delegated-len", config.pool().delegatedLength());
    config.pool().excludedPrefix().ifPresent(excluded -> pool
        .put("excluded-prefix", Ipv6Prefix.format(excluded.address()))
        .put("excluded-prefix-len", excluded.length()));
    dhcp6.putArray("loggers").addObject()
        .put("name", "kea-dhcp6").put("severity", "INFO")
        .putArray("output_options").addObject().put("output", "stdout");
    return root;
  }

  private static Optional<Path> findHook(String library) {
    // Debian installs hooks under the multiarch directory, e.g. /usr/lib/x86_64-linux-gnu/kea/hooks.
    try (Stream<Path> found = Files.find(Path.of("/usr/lib"), 4,
        (path, attrs) -> path.getFileName().toString().equals(library) && path.getParent().endsWith("kea/hooks"))) {
      return found.findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
