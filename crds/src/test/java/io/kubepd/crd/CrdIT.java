package io.kubepd.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubepd.crd.v1alpha1.DelegationPolicy;
import io.kubepd.crd.v1alpha1.DelegationPolicySpec;
import io.kubepd.crd.v1alpha1.DhcpState;
import io.kubepd.crd.v1alpha1.LeasePhase;
import io.kubepd.crd.v1alpha1.PrefixLease;
import io.kubepd.crd.v1alpha1.PrefixLeaseStatus;
import io.kubepd.testkit.kube.Crds;
import io.kubepd.testkit.kube.KubeApiServerExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The generated CRDs on a real kube-apiserver: schema and CEL validation, subresources, printer columns. */
class CrdIT {
  @RegisterExtension
  static final KubeApiServerExtension API = new KubeApiServerExtension();

  static KubernetesClient client;

  @BeforeAll
  static void installCrds() {
    client = API.client();
    for (Path file : GeneratedCrds.files(GeneratedCrds.GENERATED)) {
      Crds.install(client, GeneratedCrds.read(file));
    }
  }

  @Test
  void acceptsAValidLease() {
    PrefixLease created = client.resource(lease("node-a-eth0", l -> {})).create();

    assertThat(created.getMetadata().getUid()).isNotBlank();
    assertThat(created.getSpec().getDelegatedPrefix()).isEqualTo("2001:db8:0:100::/56");
    assertThat(created.getSpec().getInterfaceName()).isEqualTo("eth0");
  }

  @Test
  void acceptsInfiniteLifetimes() {
    PrefixLease created = client.resource(lease("infinite", l -> {
      l.getSpec().setPreferredLifetimeSeconds(4294967295L);
      l.getSpec().setValidLifetimeSeconds(4294967295L);
      l.getSpec().setExpiresAt(null);
    })).create();

    assertThat(created.getSpec().getValidLifetimeSeconds()).isEqualTo(4294967295L);
  }

  @Test
  void keepsTheDnsConfigurationTheServerSent() {
    PrefixLease created = client.resource(lease("with-dns", l -> {
      l.getSpec().setDnsServers(java.util.List.of("2001:db8::53", "2001:db8::35"));
      l.getSpec().setDomainSearchList(java.util.List.of("example.net", "corp.example.net"));
    })).create();

    assertThat(created.getSpec().getDnsServers()).containsExactly("2001:db8::53", "2001:db8::35");
    assertThat(created.getSpec().getDomainSearchList()).containsExactly("example.net", "corp.example.net");
  }

  @Test
  void rejectsADnsServerThatIsNoIpv6Address() {
    assertRejected(lease("dns-v4", l -> l.getSpec().setDnsServers(java.util.List.of("2001:db8::53", "192.0.2.53"))),
        "spec.dnsServers", "dnsServers must be IPv6 addresses");
    assertRejected(lease("dns-name", l -> l.getSpec().setDnsServers(java.util.List.of("resolver.example"))),
        "spec.dnsServers", "dnsServers must be IPv6 addresses");
  }

  @Test
  void rejectsAnInvalidCidr() {
    assertRejected(lease("bad-cidr", l -> l.getSpec().setDelegatedPrefix("2001:db8::zz/56")),
        "spec.delegatedPrefix", "must be an IPv6 prefix in CIDR notation");
  }

  @Test
  void rejectsAnIpv4Prefix() {
    assertRejected(lease("ipv4", l -> l.getSpec().setDelegatedPrefix("192.0.2.0/24")),
        "spec.delegatedPrefix", "must be an IPv6 prefix");
  }

  @Test
  void rejectsHostBitsInThePrefix() {
    assertRejected(lease("host-bits", l -> l.getSpec().setDelegatedPrefix("2001:db8::1/56")),
        "spec.delegatedPrefix", "no host bits set");
  }

  @Test
  void acceptsAnExcludedPrefixInsideTheDelegatedPrefix() {
    PrefixLease created = client.resource(lease("excluded-64", l -> l.getSpec()
        .setExcludedPrefix("2001:db8:0:1ff::/64"))).create();
    assertThat(created.getSpec().getExcludedPrefix()).isEqualTo("2001:db8:0:1ff::/64");

    client.resource(lease("excluded-62", l -> l.getSpec().setExcludedPrefix("2001:db8:0:10c::/62"))).create();
    client.resource(lease("excluded-128", l -> l.getSpec().setExcludedPrefix("2001:db8:0:100::1/128"))).create();
  }

  @Test
  void rejectsAnExcludedPrefixOutsideTheDelegatedPrefix() {
    assertRejected(lease("excluded-outside", l -> l.getSpec().setExcludedPrefix("2001:db8:0:200::/64")),
        "spec", "excludedPrefix must lie inside delegatedPrefix and be longer than it");
  }

  @Test
  void rejectsAnExcludedPrefixNotLongerThanTheDelegatedPrefix() {
    assertRejected(lease("excluded-whole", l -> l.getSpec().setExcludedPrefix("2001:db8:0:100::/56")),
        "spec", "excludedPrefix must lie inside delegatedPrefix and be longer than it");
    assertRejected(lease("excluded-larger", l -> l.getSpec().setExcludedPrefix("2001:db8::/48")),
        "spec", "excludedPrefix must lie inside delegatedPrefix and be longer than it");
  }

  @Test
  void rejectsAMalformedExcludedPrefix() {
    assertRejected(lease("excluded-host-bits", l -> l.getSpec().setExcludedPrefix("2001:db8:0:100::1/64")),
        "spec.excludedPrefix", "no host bits set");
    assertRejected(lease("excluded-ipv4", l -> l.getSpec().setExcludedPrefix("192.0.2.0/24")),
        "spec.excludedPrefix", "must be an IPv6 prefix");
  }

  @Test
  void rejectsPreferredLongerThanValid() {
    assertRejected(lease("preferred-gt-valid", l -> {
      l.getSpec().setPreferredLifetimeSeconds(7200);
      l.getSpec().setValidLifetimeSeconds(3600);
    }), "spec", "preferredLifetimeSeconds must not exceed validLifetimeSeconds");
  }

  @Test
  void rejectsNegativeLifetimes() {
    assertRejected(lease("negative", l -> l.getSpec().setValidLifetimeSeconds(-1)),
        "spec.validLifetimeSeconds", "should be greater than or equal to 0");
  }

  @Test
  void rejectsALeaseWithoutNode() {
    assertRejected(lease("no-node", l -> l.getSpec().setNodeName(null)), "spec.nodeName", "Required value");
  }

  @Test
  void statusSubresourceAndSpecAreIndependent() {
    PrefixLease created = client.resource(lease("subresource", l -> {})).create();

    PrefixLeaseStatus status = new PrefixLeaseStatus();
    status.setPhase(LeasePhase.Ready);
    status.setPodCIDRs(List.of("2001:db8:0:100::/64"));
    created.setStatus(status);
    created.getSpec().setDelegatedPrefix("2001:db8:0:200::/56");
    PrefixLease afterStatus = client.resource(created).updateStatus();

    assertThat(afterStatus.getStatus().getPodCIDRs()).containsExactly("2001:db8:0:100::/64");
    assertThat(afterStatus.getSpec().getDelegatedPrefix())
        .as("a status update must not change the spec").isEqualTo("2001:db8:0:100::/56");

    afterStatus.getSpec().setDhcpState(DhcpState.Renewing);
    afterStatus.getStatus().setPodCIDRs(List.of());
    PrefixLease afterSpec = client.resource(afterStatus).update();

    assertThat(afterSpec.getSpec().getDhcpState()).isEqualTo(DhcpState.Renewing);
    assertThat(afterSpec.getStatus().getPodCIDRs())
        .as("a spec update must not change the status").containsExactly("2001:db8:0:100::/64");
    assertThat(afterSpec.getMetadata().getGeneration()).isEqualTo(2L);
  }

  @Test
  void kubectlPrintsTheLeaseColumns() {
    PrefixLease created = client.resource(lease("printed", l -> l.getSpec().setNodeName("node-printed"))).create();
    created.setStatus(new PrefixLeaseStatus());
    created.getStatus().setPodCIDRs(List.of("2001:db8:0:100::/64"));
    created.getStatus().setPhase(LeasePhase.Ready);
    client.resource(created).updateStatus();

    String table = API.server().kubectl("get", "pl", "printed");
    String[] lines = table.strip().split("\n");

    assertThat(lines[0].split("\\s+"))
        .containsExactly("NAME", "NODE", "INTERFACE", "PREFIX", "POD-CIDR", "STATE", "EXPIRES", "AGE");
    assertThat(lines[1].split("\\s+")).startsWith("printed", "node-printed", "eth0", "2001:db8:0:100::/56",
        "2001:db8:0:100::/64", "Bound", "2026-11-27T12:00:00Z");
    assertThat(API.server().kubectl("get", "prefixleases", "printed", "-o", "wide").lines().findFirst().orElseThrow())
        .contains("PHASE");
  }

  @Test
  void rejectsAPolicyWithPodPrefixOutOfRange() {
    DelegationPolicy policy = policy("too-long");
    policy.getSpec().setPodPrefixLength(200);

    assertThatThrownBy(() -> client.resource(policy).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.podPrefixLength")
        .hasMessageContaining("less than or equal to 128");
  }

  @Test
  void rejectsAPolicyWhosePodPrefixIsLargerThanTheHint() {
    DelegationPolicy policy = policy("shorter-than-hint");
    policy.getSpec().getUplinks().get(0).setPrefixLengthHint(60);
    policy.getSpec().setPodPrefixLength(56);

    assertThatThrownBy(() -> client.resource(policy).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("podPrefixLength must be at least every uplink's prefixLengthHint");
  }

  @Test
  void rejectsDuplicateUplinks() {
    DelegationPolicy policy = policy("duplicate-uplinks");
    DelegationPolicySpec.Uplink again = new DelegationPolicySpec.Uplink();
    again.setInterfaceName("eth0");
    policy.getSpec().getUplinks().add(again);

    assertThatThrownBy(() -> client.resource(policy).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("each uplink interface may be listed once");
  }

  @Test
  void defaultsAPolicy() {
    client.resource("""
        apiVersion: kubepd.io/v1alpha1
        kind: DelegationPolicy
        metadata:
          name: defaults
        spec:
          uplinks:
          - interface: eth0
        """).create();
    // Read untyped, so the Java classes' own defaults cannot hide a missing schema default.
    var spec = (java.util.Map<?, ?>) client.genericKubernetesResources(PrefixLease.GROUP + "/" + PrefixLease.VERSION,
        "DelegationPolicy").withName("defaults").get().getAdditionalProperties().get("spec");

    assertThat(spec.get("podPrefixLength")).isEqualTo(64);
    assertThat(spec.get("subPrefixIndex")).isEqualTo(0);
    assertThat(spec.get("routeMode")).isEqualTo("AnyIP");
    assertThat(spec.get("rapidCommit")).isEqualTo(true);
    assertThat(((java.util.Map<?, ?>) ((java.util.List<?>) spec.get("uplinks")).get(0)).get("iaPds")).isEqualTo(1);
  }

  @Test
  void rejectsMoreThanEightIaPdsOnAnUplink() {
    DelegationPolicy policy = policy("many-ia-pds");
    policy.getSpec().getUplinks().get(0).setIaPds(9);

    assertThatThrownBy(() -> client.resource(policy).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.uplinks[0].iaPds")
        .hasMessageContaining("less than or equal to 8");
  }

  private static void assertRejected(PrefixLease lease, String field, String message) {
    assertThatThrownBy(() -> client.resource(lease).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining(field)
        .hasMessageContaining(message);
  }

  private static PrefixLease lease(String name, Consumer<PrefixLease> change) {
    PrefixLease lease = new PrefixLease();
    lease.setMetadata(new ObjectMetaBuilder().withName(name).build());
    lease.getSpec().setNodeName("node-a");
    lease.getSpec().setInterfaceName("eth0");
    lease.getSpec().setIaid(1L);
    lease.getSpec().setClientDuid("00030001020000000001");
    lease.getSpec().setServerDuid("000100012c3f6e1a0a0b0c0d0e0f");
    lease.getSpec().setDelegatedPrefix("2001:db8:0:100::/56");
    lease.getSpec().setT1Seconds(1800);
    lease.getSpec().setT2Seconds(2880);
    lease.getSpec().setPreferredLifetimeSeconds(3600);
    lease.getSpec().setValidLifetimeSeconds(7200);
    lease.getSpec().setObtainedAt("2026-11-27T10:00:00Z");
    lease.getSpec().setRenewedAt("2026-11-27T10:00:00Z");
    lease.getSpec().setExpiresAt("2026-11-27T12:00:00Z");
    lease.getSpec().setDhcpState(DhcpState.Bound);
    change.accept(lease);
    return lease;
  }

  private static DelegationPolicy policy(String name) {
    DelegationPolicy policy = new DelegationPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName(name).build());
    DelegationPolicySpec.Uplink uplink = new DelegationPolicySpec.Uplink();
    uplink.setInterfaceName("eth0");
    policy.getSpec().getUplinks().add(uplink);
    return policy;
  }
}
