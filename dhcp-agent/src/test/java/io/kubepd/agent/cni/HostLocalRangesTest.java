package io.kubepd.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostLocalRangesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aFragmentIsOneRangeSetOfThePodCidrsPrimaryFirst() {
    HostLocalRanges ranges = HostLocalRanges.of(List.of("2001:db8:0:100::/64", "2001:DB8:0:101:0::/64"));

    assertThat(ranges.fragment().toString()).isEqualTo(
        "{\"ranges\":[[{\"subnet\":\"2001:db8:0:100::/64\"},{\"subnet\":\"2001:db8:0:101::/64\"}]]}");
  }

  @Test
  void fillsTheHostLocalIpamOfAConflistAndLeavesEverythingElse() throws Exception {
    JsonNode template = JSON.readTree("""
        {"cniVersion": "1.0.0", "name": "kubepd", "plugins": [
          {"type": "bridge", "bridge": "cni0", "isGateway": true,
           "ipam": {"type": "host-local", "routes": [{"dst": "::/0"}], "dataDir": "/var/lib/cni/kubepd"}},
          {"type": "portmap", "capabilities": {"portMappings": true}}]}
        """);

    JsonNode config = HostLocalRanges.of(List.of("2001:db8:0:100::/64")).applyTo(template);

    assertThat(config).isEqualTo(JSON.readTree("""
        {"cniVersion": "1.0.0", "name": "kubepd", "plugins": [
          {"type": "bridge", "bridge": "cni0", "isGateway": true,
           "ipam": {"type": "host-local", "routes": [{"dst": "::/0"}], "dataDir": "/var/lib/cni/kubepd",
                    "ranges": [[{"subnet": "2001:db8:0:100::/64"}]]}},
          {"type": "portmap", "capabilities": {"portMappings": true}}]}
        """));
    assertThat(template.path("plugins").path(0).path("ipam").has("ranges")).as("template untouched").isFalse();
  }

  @Test
  void replacesIpv6RangeSetsOfTheTemplateAndKeepsIpv4OnesAfterIts() throws Exception {
    JsonNode template = JSON.readTree("""
        {"cniVersion": "1.0.0", "name": "dual", "type": "bridge",
         "ipam": {"type": "host-local", "ranges": [
           [{"subnet": "10.244.1.0/24"}],
           [{"subnet": "2001:db8:ffff::/64"}]]}}
        """);

    JsonNode config = HostLocalRanges.of(List.of("2001:db8:0:100::/64")).applyTo(template);

    assertThat(config.path("ipam").path("ranges")).isEqualTo(JSON.readTree("""
        [[{"subnet": "2001:db8:0:100::/64"}], [{"subnet": "10.244.1.0/24"}]]
        """));
  }

  @Test
  void refusesATemplateWithoutHostLocalIpam() throws Exception {
    JsonNode template = JSON.readTree("""
        {"cniVersion": "1.0.0", "name": "x", "plugins": [{"type": "bridge", "ipam": {"type": "dhcp"}}]}
        """);

    assertThatIllegalArgumentException()
        .isThrownBy(() -> HostLocalRanges.of(List.of("2001:db8:0:100::/64")).applyTo(template))
        .withMessageContaining("no \"ipam\": {\"type\": \"host-local\"} section");
  }

  @Test
  void refusesWhatIsNoIpv6Cidr() {
    assertThatIllegalArgumentException().isThrownBy(() -> HostLocalRanges.of(List.of("10.244.1.0/24")))
        .withMessageContaining("10.244.1.0/24");
  }
}
