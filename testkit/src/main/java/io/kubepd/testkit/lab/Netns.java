package io.kubepd.testkit.lab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** One network namespace of a lab: run commands in it, read its addresses and routes, start processes in it. */
public final class Netns {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final String name;
  private final NetnsLab lab;

  Netns(String name, NetnsLab lab) {
    this.name = name;
    this.lab = lab;
  }

  /** The name {@code ip netns} knows it by. */
  public String name() {
    return name;
  }

  /** Runs {@code command} inside this namespace, waiting at most 10 seconds. */
  public ExecResult exec(String... command) {
    return exec(DEFAULT_TIMEOUT, command);
  }

  /** Runs {@code command} inside this namespace, waiting at most {@code timeout}. */
  public ExecResult exec(Duration timeout, String... command) {
    return Exec.run(inside(List.of(command)), timeout);
  }

  /** Runs {@code command} inside this namespace and throws a {@link LabException} with its output unless it exits 0. */
  public ExecResult execOk(String... command) {
    return exec(command).orThrow();
  }

  /** Starts a long-running process in this namespace; the lab stops it on close. Its output goes to a log in {@link NetnsLab#dir()}. */
  public LabProcess spawn(String processName, Map<String, String> environment, String... command) {
    return lab.track(LabProcess.start(processName, inside(List.of(command)), environment,
        lab.dir().resolve(processName + ".log")));
  }

  /** All IPv6 routes of all tables. */
  public List<Route> routes() {
    String json = execOk("ip", "-6", "-json", "route", "show", "table", "all").stdout();
    try {
      return List.of(JSON.readValue(json.isBlank() ? "[]" : json, Route[].class));
    } catch (JsonProcessingException e) {
      throw new LabException("cannot parse ip -json route output in " + name + ": " + json, e);
    }
  }

  /** The IPv6 addresses on {@code device}. */
  public List<InterfaceAddress> addresses(String device) {
    String json = execOk("ip", "-6", "-json", "addr", "show", "dev", device).stdout();
    List<InterfaceAddress> addresses = new ArrayList<>();
    try {
      for (JsonNode link : JSON.readTree(json.isBlank() ? "[]" : json)) {
        for (JsonNode info : link.path("addr_info")) {
          if ("inet6".equals(info.path("family").asText())) {
            addresses.add(new InterfaceAddress(device, info.path("local").asText(), info.path("prefixlen").asInt(),
                info.path("scope").asText(), info.path("tentative").asBoolean(false)));
          }
        }
      }
    } catch (JsonProcessingException e) {
      throw new LabException("cannot parse ip -json addr output in " + name + ": " + json, e);
    }
    return addresses;
  }

  /** The usable (non-tentative) link-local address of {@code device}, if it has one yet. */
  public Optional<String> linkLocal(String device) {
    return addresses(device).stream().filter(a -> a.linkLocal() && !a.tentative()).map(InterfaceAddress::address)
        .findFirst();
  }

  /** True when one ICMPv6 echo to {@code destination} (use {@code fe80::1%dev} for link-local) is answered within 2 s. */
  public boolean ping6(String destination) {
    return exec(Duration.ofSeconds(5), "ping", "-6", "-n", "-q", "-c", "1", "-W", "2", destination).ok();
  }

  /** True when process {@code pid} has a UDP socket bound to {@code port} in this namespace. */
  public boolean udpListening(int port, long pid) {
    return execOk("ss", "-H", "-u", "-l", "-n", "-p", "sport = :" + port).stdout().contains("pid=" + pid + ",");
  }

  /** Sets IPv6 sysctls such as {@code net.ipv6.conf.all.forwarding=1} in this namespace. */
  public void sysctl(String... assignments) {
    execOk(Stream.concat(Stream.of("sysctl", "-q", "-w"), Arrays.stream(assignments)).toArray(String[]::new));
  }

  private List<String> inside(List<String> command) {
    return Stream.concat(Stream.of("ip", "netns", "exec", name), command.stream()).toList();
  }

  @Override
  public String toString() {
    return name;
  }
}
