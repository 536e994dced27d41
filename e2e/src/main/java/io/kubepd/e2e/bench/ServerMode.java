package io.kubepd.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** How Kea answers a Solicit during one part of the benchmark; every client offers Rapid Commit in all of them. */
enum ServerMode {
  /** Kea allows Rapid Commit (RFC 8415 §18.3.1): Reply answers Solicit, one round trip. */
  RAPID_COMMIT("rapid commit", true, false),
  /**
   * Kea declines Rapid Commit: Solicit, Advertise, Request, Reply. RFC 8415 §18.2.1 has the client collect Advertises
   * until the first Solicit RT (1 s + up to 10 %) ends.
   */
  FOUR_MESSAGE("4-message", false, false),
  /** 4-message, but the Advertise carries Preference 255 (§21.8), which §18.2.1 lets a client Request at once. */
  FOUR_MESSAGE_PREFERENCE_255("4-message, preference 255", false, true);

  final String label;
  private final boolean rapidCommit;
  private final boolean preference255;

  ServerMode(String label, boolean rapidCommit, boolean preference255) {
    this.label = label;
    this.rapidCommit = rapidCommit;
    this.preference255 = preference255;
  }

  boolean fourMessage() {
    return !rapidCommit;
  }

  /** Kea's {@code Dhcp6} config for this mode: {@code base} with Rapid Commit and the Preference option set. */
  ObjectNode keaConfig(ObjectNode base) {
    ObjectNode dhcp6 = base.deepCopy();
    for (JsonNode subnet : dhcp6.withArray("subnet6")) {
      ((ObjectNode) subnet).put("rapid-commit", rapidCommit);
    }
    ArrayNode options = dhcp6.putArray("option-data");
    if (preference255) {
      // Clients do not ask for Preference in their ORO, so Kea sends it only when told to always send it.
      options.addObject().put("name", "preference").put("data", "255").put("always-send", true);
    }
    return dhcp6;
  }
}
