package io.kubepd.testkit.lab;

import java.nio.file.Path;
import java.util.List;

/** A real DHCPv6 server running in the lab's router namespace, delegating prefixes from one pool. */
public interface Dhcp6Server extends AutoCloseable {
  /** Implementation and version, e.g. {@code ISC Kea 2.2.0}. */
  String implementation();

  Dhcp6ServerConfig config();

  /** Starts the server and returns once it listens on UDP port 547; throws with its log if it exits instead. */
  void start();

  /** Stops the server (SIGTERM, then SIGKILL); its lease database stays for the next {@link #start()}. */
  void stop();

  boolean isRunning();

  /** PID of the running server process. */
  long pid();

  /** Serves {@code newConfig} from now on; how depends on the server (Kea reloads, dhcpd restarts). */
  void reconfigure(Dhcp6ServerConfig newConfig);

  /** Serves {@code pool} from now on, e.g. to test renumbering. */
  default void reconfigurePool(PdPool pool) {
    reconfigure(config().withPool(pool));
  }

  /** The prefixes the server currently holds for clients, read from its own lease database. */
  List<DelegatedPrefixLease> leases();

  /** The file the server logs to. */
  Path log();

  @Override
  default void close() {
    stop();
  }
}
