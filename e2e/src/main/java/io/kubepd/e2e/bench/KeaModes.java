package io.kubepd.e2e.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubepd.testkit.lab.KeaServer;
import io.kubepd.testkit.lab.Netns;
import io.kubepd.testkit.lab.Poll;
import java.time.Duration;

/**
 * Switches the running Kea between {@link ServerMode}s and wipes its leases, both over the control socket. The modes
 * derive from the config Kea runs ({@code config-get}), so Kea keeps its sockets, paths and hooks from the lab.
 */
final class KeaModes {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SERVER_PORT = 547;
  private static final Duration RELISTEN_TIMEOUT = Duration.ofSeconds(15);

  private final KeaServer kea;
  private final Netns router;
  private final ObjectNode base;
  private final int subnetId;

  KeaModes(KeaServer kea, Netns router) {
    this.kea = kea;
    this.router = router;
    this.base = (ObjectNode) kea.command("config-get", null).path("arguments").path("Dhcp6").deepCopy();
    this.subnetId = base.withArray("subnet6").get(0).path("id").asInt();
  }

  /** Loads {@code mode}'s config ({@code config-set}) and waits until Kea listens again. */
  void apply(ServerMode mode) {
    ObjectNode arguments = JSON.createObjectNode();
    arguments.set("Dhcp6", mode.keaConfig(base));
    kea.command("config-set", arguments);
    // Kea reopens its DHCP sockets on a new config; a client must not Solicit into the gap.
    Poll.until(RELISTEN_TIMEOUT, "Kea to listen on port " + SERVER_PORT + " again",
        () -> router.udpListening(SERVER_PORT, kea.pid()));
  }

  /** Deletes every lease, so each run is a first allocation whatever DUID the client brings. */
  void wipeLeases() {
    kea.command("lease6-wipe", JSON.createObjectNode().put("subnet-id", subnetId));
  }
}
