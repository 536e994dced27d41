package io.kubepd.testkit.lab;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DHCPv6 lab: a router namespace with a bridge {@code br0} and N node namespaces, each joined to the bridge by a
 * veth pair ({@code r-n<i>} on the router, {@link Builder#nodeInterface} on the node), so all nodes share one link
 * with the router, as cluster nodes share a LAN with their upstream router.
 *
 * <p>Use it as a JUnit 5 extension ({@code @RegisterExtension static NetnsLab lab = NetnsLab.builder().build();}: a
 * static field gives one lab per class, an instance field one per test) or as an {@link AutoCloseable} from a main.
 * Servers and clients started through the lab are stopped on close, or after the test method that started them
 * when the lab is per class. On JUnit, a missing prerequisite skips the tests (fails them when {@code CI=true}).
 */
public final class NetnsLab
    implements AutoCloseable, BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  /** The router's interface towards the nodes; DHCPv6 servers listen here. */
  public static final String ROUTER_INTERFACE = "br0";
  /** A fixed link-local address on {@link #ROUTER_INTERFACE}, usable as the nodes' next hop. */
  public static final String ROUTER_LINK_LOCAL = "fe80::1";

  private static final Logger LOG = LoggerFactory.getLogger(NetnsLab.class);
  private static final Pattern LAB_NAMESPACE = Pattern.compile("kpd-(\\d+)-[0-9a-f]{4}-.+");
  private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(10);
  private static final Set<NetnsLab> OPEN_LABS = ConcurrentHashMap.newKeySet();

  static {
    // Last resort when a test run is interrupted between start and close: namespaces and servers must not outlive it.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN_LABS.forEach(NetnsLab::close), "netns-lab-cleanup"));
  }

  private final int nodeCount;
  private final String nodeInterface;
  private final Ipv6Prefix linkPrefix;
  private final String id;
  private final Deque<AutoCloseable> owned = new ArrayDeque<>();
  private final AtomicInteger dirCounter = new AtomicInteger();
  private final List<Netns> namespaces = new ArrayList<>();
  private final List<LabNode> nodes = new ArrayList<>();
  private Netns router;
  private Path dir;
  private boolean started;
  private boolean closed;
  private boolean perClass;
  private int ownedBeforeTest;
  private boolean keepFiles;

  private NetnsLab(Builder builder) {
    this.nodeCount = builder.nodes;
    this.nodeInterface = builder.nodeInterface;
    this.linkPrefix = builder.linkPrefix;
    this.id = "kpd-" + ProcessHandle.current().pid() + "-"
        + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Creates namespaces, links and addresses and waits until every link-local address is usable. */
  public synchronized NetnsLab start() {
    if (started) {
      throw new IllegalStateException("lab " + id + " already started");
    }
    started = true;
    sweepOrphans();
    OPEN_LABS.add(this);
    try {
      dir = Files.createTempDirectory(id + "-");
      router = createNamespace(id + "-router");
      router.sysctl("net.ipv6.conf.all.forwarding=1");
      router.execOk("ip", "link", "add", ROUTER_INTERFACE, "type", "bridge",
          "stp_state", "0", "forward_delay", "0", "mcast_snooping", "0");
      for (int i = 1; i <= nodeCount; i++) {
        Netns ns = createNamespace(id + "-n" + i);
        String port = "r-n" + i;
        Exec.run(List.of("ip", "link", "add", port, "netns", router.name(), "type", "veth",
            "peer", "name", nodeInterface, "netns", ns.name()), SETUP_TIMEOUT).orThrow();
        // A bridge port carries frames only; an address of its own would only confuse servers and route dumps.
        router.sysctl("net.ipv6.conf." + port + ".disable_ipv6=1");
        router.execOk("ip", "link", "set", port, "master", ROUTER_INTERFACE, "up");
        ns.execOk("ip", "link", "set", nodeInterface, "up");
        nodes.add(new LabNode(i, ns, nodeInterface, port));
      }
      router.execOk("ip", "link", "set", ROUTER_INTERFACE, "up");
      router.execOk("ip", "-6", "addr", "add", ROUTER_LINK_LOCAL + "/64", "dev", ROUTER_INTERFACE, "nodad");
      router.execOk("ip", "-6", "addr", "add", routerAddress() + "/" + linkPrefix.length(),
          "dev", ROUTER_INTERFACE, "nodad");
      // The kernel adds link-local addresses asynchronously once carrier is seen; clients need them to send.
      Poll.until(SETUP_TIMEOUT, "link-local address on " + ROUTER_INTERFACE + " in " + router,
          () -> router.linkLocal(ROUTER_INTERFACE).isPresent());
      for (LabNode node : nodes) {
        Poll.until(SETUP_TIMEOUT, "link-local address on " + nodeInterface + " in " + node.netns(),
            () -> node.netns().linkLocal(nodeInterface).isPresent());
      }
      LOG.info("lab {} up: router {}, {} node(s), files in {}", id, router, nodeCount, dir);
      return this;
    } catch (IOException | RuntimeException e) {
      keepFiles = true;
      close();
      throw e instanceof LabException le ? le : new LabException("cannot set up lab " + id + ": " + e.getMessage(), e);
    }
  }

  private Netns createNamespace(String name) {
    Exec.run(List.of("ip", "netns", "add", name), SETUP_TIMEOUT).orThrow();
    Netns ns = new Netns(name, this);
    namespaces.add(ns);
    // Set before any interface exists so every interface inherits them: no DAD wait, addresses usable at once.
    ns.sysctl("net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0",
        "net.ipv6.conf.default.optimistic_dad=1");
    ns.execOk("ip", "link", "set", "lo", "up");
    return ns;
  }

  /** A unique name for this lab instance, e.g. {@code kpd-4711-0a3f}; namespaces are named after it. */
  public String id() {
    return id;
  }

  /** The per-lab directory holding every config, lease, socket and log file of the lab's processes. */
  public Path dir() {
    requireStarted();
    return dir;
  }

  /** A fresh, empty subdirectory of {@link #dir()}, e.g. for one server or client instance. */
  public Path newDir(String prefix) {
    try {
      return Files.createDirectory(dir().resolve(prefix + "-" + dirCounter.incrementAndGet()));
    } catch (IOException e) {
      throw new LabException("cannot create a directory in " + dir + ": " + e.getMessage(), e);
    }
  }

  public Netns router() {
    requireStarted();
    return router;
  }

  /** The interface on the router facing all nodes ({@value #ROUTER_INTERFACE}). */
  public String routerInterface() {
    return ROUTER_INTERFACE;
  }

  /** The on-link prefix of the router/nodes link; the router holds {@link #routerAddress()} in it. */
  public Ipv6Prefix linkPrefix() {
    return linkPrefix;
  }

  /** The router's global address on the link (the first address of {@link #linkPrefix()} after the subnet-router anycast). */
  public String routerAddress() {
    return Ipv6Prefix.format(
        Ipv6Prefix.fromBigInteger(Ipv6Prefix.toBigInteger(linkPrefix.address()).add(BigInteger.ONE)));
  }

  /** Node {@code index}, 1-based. */
  public LabNode node(int index) {
    requireStarted();
    if (index < 1 || index > nodes.size()) {
      throw new IllegalArgumentException("lab " + id + " has nodes 1.." + nodes.size() + ", not " + index);
    }
    return nodes.get(index - 1);
  }

  public List<LabNode> nodes() {
    requireStarted();
    return List.copyOf(nodes);
  }

  /** Starts ISC Kea with {@code config} in the router namespace and waits until it serves. */
  public KeaServer kea(Dhcp6ServerConfig config) {
    LabAssumptions.assumeKea();
    KeaServer server = track(new KeaServer(this, config));
    server.start();
    return server;
  }

  /** Starts ISC Kea serving {@code pool} with the lab defaults of {@link Dhcp6ServerConfig#forLab}. */
  public KeaServer kea(PdPool pool) {
    return kea(Dhcp6ServerConfig.forLab(this, pool));
  }

  /** Starts ISC dhcpd in DHCPv6 mode with {@code config} in the router namespace and waits until it serves. */
  public IscDhcpdServer iscDhcpd(Dhcp6ServerConfig config) {
    LabAssumptions.assumeIscDhcpd();
    IscDhcpdServer server = track(new IscDhcpdServer(this, config));
    server.start();
    return server;
  }

  /** Starts ISC dhcpd serving {@code pool} with the lab defaults of {@link Dhcp6ServerConfig#forLab}. */
  public IscDhcpdServer iscDhcpd(PdPool pool) {
    return iscDhcpd(Dhcp6ServerConfig.forLab(this, pool));
  }

  /**
   * Starts ISC dhclient requesting a delegated prefix on {@code node}'s uplink; a peer client to compare against.
   * {@code configLines} go into its dhclient.conf, e.g. {@code send dhcp6.rapid-commit;}.
   */
  public DhclientPd dhclient(LabNode node, String... configLines) {
    LabAssumptions.assumeDhclient();
    DhclientPd client = track(new DhclientPd(this, node, List.of(configLines)));
    client.start();
    return client;
  }

  /** Makes the lab stop {@code resource} when it closes (or after the current test, for a per-class lab). */
  /**
   * Starts a process in the host's network namespace (e.g. a component that talks to the API server on loopback),
   * logging to the lab directory; the lab stops it by PID when it closes.
   */
  public LabProcess spawnHost(String processName, Map<String, String> environment, String... command) {
    return track(LabProcess.start(processName, List.of(command), environment, dir().resolve(processName + ".log")));
  }

  public synchronized <T extends AutoCloseable> T track(T resource) {
    owned.push(resource);
    return resource;
  }

  /** Keeps the lab directory (process logs, server configs) when the lab closes, for a look after a failure. */
  public synchronized void keepFiles() {
    keepFiles = true;
  }

  /** Stops everything the lab started, by PID, then deletes its namespaces and files. Safe to call twice. */
  @Override
  public synchronized void close() {
    if (closed || !started) {
      return;
    }
    closed = true;
    closeOwned(0);
    for (Netns ns : namespaces) {
      deleteNamespace(ns.name(), "lab " + id);
    }
    if (dir != null) {
      if (keepFiles) {
        LOG.warn("lab {} closed; its configs and logs stay in {} for inspection", id, dir);
      } else {
        deleteRecursively(dir);
      }
    }
    OPEN_LABS.remove(this);
  }

  private void closeOwned(int keep) {
    while (owned.size() > keep) {
      AutoCloseable resource = owned.pop();
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("lab {}: cannot stop {}: {}", id, resource, e.toString());
      }
    }
  }

  /**
   * Deletes a lab namespace. Processes still inside it were put there by lab users (a test that spawned its own
   * client); they would keep the namespace alive with no way to reach it, so they are killed by PID.
   */
  private static void deleteNamespace(String name, String owner) {
    ExecResult pids = Exec.run(List.of("ip", "netns", "pids", name), SETUP_TIMEOUT);
    if (pids.ok()) {
      for (String pid : pids.stdout().strip().split("\\s+")) {
        if (!pid.isEmpty()) {
          ProcessHandle.of(Long.parseLong(pid)).ifPresent(p -> {
            LOG.warn("{}: killing pid {} ({}) left in namespace {}", owner, pid, p.info().command().orElse("?"), name);
            p.destroyForcibly();
          });
        }
      }
    }
    ExecResult deleted = Exec.run(List.of("ip", "netns", "del", name), SETUP_TIMEOUT);
    if (!deleted.ok()) {
      LOG.warn("{}: {}", owner, deleted);
    }
  }

  /** Deletes namespaces of labs whose JVM died without closing them (killed test runs); live labs are left alone. */
  static void sweepOrphans() {
    ExecResult list = Exec.run(List.of("ip", "netns", "list"), SETUP_TIMEOUT);
    if (!list.ok()) {
      return;
    }
    for (String line : list.stdout().split("\n")) {
      String name = line.strip().split("\\s+")[0];
      Matcher m = LAB_NAMESPACE.matcher(name);
      if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).map(p -> !p.isAlive()).orElse(true)) {
        deleteNamespace(name, "orphan sweep");
      }
    }
  }

  private static void deleteRecursively(Path root) {
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.delete(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      LOG.warn("cannot delete lab directory {}: {}", root, e.toString());
    }
  }

  private void requireStarted() {
    if (!started || closed) {
      throw new IllegalStateException("lab " + id + (closed ? " is closed" : " is not started"));
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    LabAssumptions.assumeNetnsLab();
    perClass = true;
    start();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (perClass) {
      synchronized (this) {
        ownedBeforeTest = owned.size();
      }
      return;
    }
    LabAssumptions.assumeNetnsLab();
    start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (context.getExecutionException().isPresent()) {
      keepFiles = true;
    }
    if (perClass) {
      synchronized (this) {
        closeOwned(ownedBeforeTest);
      }
    } else {
      close();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (context.getExecutionException().isPresent()) {
      keepFiles = true;
    }
    close();
  }

  @Override
  public String toString() {
    return "NetnsLab " + id;
  }

  /** Shape of a lab; defaults: 1 node, node interface {@code uplink0}, link prefix {@code 2001:db8:ffff::/64}. */
  public static final class Builder {
    private int nodes = 1;
    private String nodeInterface = "uplink0";
    private Ipv6Prefix linkPrefix = Ipv6Prefix.parse("2001:db8:ffff::/64");

    private Builder() {}

    public Builder nodes(int count) {
      if (count < 1 || count > 99) {
        throw new IllegalArgumentException("a lab has 1..99 nodes, not " + count);
      }
      this.nodes = count;
      return this;
    }

    /** The name of each node's uplink interface; Linux allows at most 15 characters. */
    public Builder nodeInterface(String name) {
      if (name.isEmpty() || name.length() > 15 || !name.matches("[A-Za-z0-9_.-]+")) {
        throw new IllegalArgumentException("interface name '" + name + "' must be 1..15 of [A-Za-z0-9_.-]");
      }
      this.nodeInterface = name;
      return this;
    }

    /** The on-link prefix of the router/nodes link; DHCPv6 servers use it as their subnet. */
    public Builder linkPrefix(String prefix) {
      Ipv6Prefix parsed = Ipv6Prefix.parse(prefix);
      if (parsed.length() > 126) {
        throw new IllegalArgumentException("link prefix " + prefix + " has no room for the router's address");
      }
      this.linkPrefix = parsed;
      return this;
    }

    /** A lab not yet started: the JUnit extension starts it, a main calls {@link NetnsLab#start()}. */
    public NetnsLab build() {
      return new NetnsLab(this);
    }
  }
}
