package io.kubepd.agent.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubepd.agent.route.Ipv6Cidr;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's pod CIDRs as the {@code ranges} of a host-local IPAM config: one range set holding the current pod CIDRs,
 * primary first, so every pod gets exactly one IPv6 address from them.
 *
 * <p>Draining pod CIDRs (of a prefix replaced by renumbering) are left out on purpose. host-local gives a pod one
 * address per range set and walks a range set round-robin from the last address it handed out, so keeping the old CIDR
 * listed, in the same set or in a set of its own, would keep handing new pods addresses that disappear when the old
 * prefix expires. Pods already running are unaffected: host-local checks ranges only when allocating, releases an
 * address on DEL whatever the ranges say, and the old prefix stays routed to the node until its {@code expiresAt}.
 */
public record HostLocalRanges(List<Ipv6Cidr> subnets) {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  public HostLocalRanges {
    subnets = List.copyOf(subnets);
  }

  /** The ranges for the lease's current pod CIDRs ({@code PrefixLease.status.podCIDRs}, primary first). */
  public static HostLocalRanges of(List<String> podCidrs) {
    return new HostLocalRanges(podCidrs.stream().map(Ipv6Cidr::parse).toList());
  }

  public boolean isEmpty() {
    return subnets.isEmpty();
  }

  /** The file of {@link CniRangesWriter#fragment}: {@code {"ranges":[[{"subnet":"2001:db8:0:100::/64"}]]}}. */
  public ObjectNode fragment() {
    ObjectNode fragment = NODES.objectNode();
    fragment.set("ranges", NODES.arrayNode().add(rangeSet()));
    return fragment;
  }

  /**
   * A copy of the CNI network config {@code template} (a {@code .conflist} or a single {@code .conf}) whose every
   * host-local IPAM section has these ranges. Range sets of the template that hold only IPv4 subnets are kept after
   * kubepd's (a dual-stack pod keeps its IPv4 address; IPv6, listed first, is its primary family); IPv6 range sets of the
   * template are replaced.
   *
   * @throws IllegalArgumentException when the template has no host-local IPAM section to fill
   */
  public JsonNode applyTo(JsonNode template) {
    JsonNode config = template.deepCopy();
    List<ObjectNode> ipams = new ArrayList<>();
    collectHostLocalIpam(config, ipams);
    config.path("plugins").forEach(plugin -> collectHostLocalIpam(plugin, ipams));
    if (ipams.isEmpty()) {
      throw new IllegalArgumentException("the CNI config template has no \"ipam\": {\"type\": \"host-local\"} section"
          + " (top level or in \"plugins\") for kubepd to put the pod CIDR ranges in");
    }
    for (ObjectNode ipam : ipams) {
      ArrayNode ranges = NODES.arrayNode().add(rangeSet());
      ipam.path("ranges").forEach(set -> {
        if (set.isArray() && !set.isEmpty() && isIpv4Only(set)) {
          ranges.add(set);
        }
      });
      ipam.set("ranges", ranges);
    }
    return config;
  }

  private ArrayNode rangeSet() {
    ArrayNode set = NODES.arrayNode();
    subnets.forEach(s -> set.add(NODES.objectNode().put("subnet", s.toString())));
    return set;
  }

  private static void collectHostLocalIpam(JsonNode config, List<ObjectNode> into) {
    if (config.path("ipam") instanceof ObjectNode ipam && "host-local".equals(ipam.path("type").asText())) {
      into.add(ipam);
    }
  }

  private static boolean isIpv4Only(JsonNode rangeSet) {
    for (JsonNode range : rangeSet) {
      if (range.path("subnet").asText(":").contains(":")) {
        return false;
      }
    }
    return true;
  }
}
