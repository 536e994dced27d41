package io.kubepd.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestSpecBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubepd.crd.v1alpha1.DelegationPolicy;
import io.kubepd.crd.v1alpha1.DhcpState;
import io.kubepd.crd.v1alpha1.PrefixLease;
import io.kubepd.testkit.kube.Crds;
import io.kubepd.testkit.kube.KubeApiServerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Installs the chart into a real kube-apiserver (RBAC authorization, admission, server-side validation), upgrades and
 * uninstalls it, and checks the agent's least-privilege identity against the shipped admission policy.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HelmInstallIT {
  private static final String NAMESPACE = "kubepd-system";

  @RegisterExtension
  static final KubeApiServerExtension API = new KubeApiServerExtension();

  static KubernetesClient admin;

  @BeforeAll
  static void setUp() {
    admin = API.client();
  }

  @Test
  @Order(1)
  void installsEveryObject() {
    Release release = Chart.helm().install().withName("kubepd").withNamespace(NAMESPACE).createNamespace()
        .withKubeConfig(API.server().kubeconfig()).call();

    assertThat(release.getStatus()).isEqualTo("deployed");
    assertThat(admin.apps().daemonSets().inNamespace(NAMESPACE).withName("kubepd-agent").get()).isNotNull();
    assertThat(admin.apps().deployments().inNamespace(NAMESPACE).withName("kubepd-operator").get()).isNotNull();
    assertThat(admin.rbac().clusterRoles().withName("kubepd-agent").get()).isNotNull();
    assertThat(admin.admissionRegistration().v1().validatingAdmissionPolicies().withName("kubepd-agent-own-node")
        .get()).isNotNull();
    assertThat(admin.resources(DelegationPolicy.class).withName("default").get().getSpec().getPodPrefixLength())
        .isEqualTo(64);
    for (String crd : new String[] {"prefixleases.kubepd.io", "delegationpolicies.kubepd.io"}) {
      Crds.awaitEstablished(admin, crd);
    }
    assertThat(API.server().kubectl("api-resources", "--api-group=kubepd.io"))
        .containsPattern("prefixleases\\s+pl\\s+kubepd.io/v1alpha1\\s+false\\s+PrefixLease")
        .containsPattern("delegationpolicies\\s+dp\\s+kubepd.io/v1alpha1\\s+false\\s+DelegationPolicy");
  }

  @Test
  @Order(2)
  void agentMayWriteOnlyTheLeasesOfItsOwnNode() {
    for (String node : new String[] {"node-a", "node-b"}) {
      admin.nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build()).create();
    }
    try (KubernetesClient agentOnA = agentClientBoundTo("node-a")) {
      // As LeaseReporter reports: server-side apply, which creates the lease and later changes it.
      PrefixLease own = apply(agentOnA, lease("node-a-eth0", "node-a", "2001:db8:0:100::/56"));
      assertThat(own.getMetadata().getUid()).isNotBlank();
      PrefixLease renewing = lease("node-a-eth0", "node-a", "2001:db8:0:100::/56");
      renewing.getSpec().setDhcpState(DhcpState.Renewing);
      assertThat(apply(agentOnA, renewing).getSpec().getDhcpState()).isEqualTo(DhcpState.Renewing);
      assertThat(agentOnA.resources(PrefixLease.class).withLabel(PrefixLease.NODE_LABEL, "node-a").list().getItems())
          .extracting(l -> l.getMetadata().getName()).containsExactly("node-a-eth0");

      assertThatThrownBy(() -> apply(agentOnA, lease("node-b-eth0", "node-b", "2001:db8:0:200::/56")))
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403))
          .hasMessageContaining("may only write PrefixLeases of its own node, not of node node-b");

      admin.resource(lease("node-b-eth0", "node-b", "2001:db8:0:200::/56")).create();
      assertThatThrownBy(() -> apply(agentOnA, lease("node-b-eth0", "node-a", "2001:db8:0:200::/56")))
          .as("an agent cannot take over another node's lease by renaming its node")
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
      assertThatThrownBy(() -> agentOnA.resources(PrefixLease.class).withName("node-b-eth0").delete())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
      assertThatThrownBy(() -> agentOnA.resources(PrefixLease.class).withName("node-a-eth0").delete())
          .as("RBAC gives the agent no deletes, not even of its own leases")
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));

      assertThatThrownBy(() -> agentOnA.secrets().inNamespace(NAMESPACE).list())
          .as("RBAC gives the agent no Secrets")
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
      assertThatThrownBy(() -> agentOnA.nodes().withName("node-a").edit(n -> {
        n.getMetadata().setLabels(Map.of("pwned", "true"));
        return n;
      })).as("RBAC gives the agent no Node writes")
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
      assertThat(agentOnA.nodes().withName("node-a").get().getMetadata().getName()).isEqualTo("node-a");
    }
  }

  /** What the agent's code calls (dhcp-agent kube/), and nothing else: kubectl auth can-i, as the agent. */
  @Test
  @Order(3)
  void agentsRoleHasExactlyTheVerbsItsCodeUses() {
    try (KubernetesClient agent = agentClientBoundTo("node-b")) {
      Access can = new Access(agent, NAMESPACE);
      can.allow("list", "kubepd.io", "prefixleases");
      can.allow("watch", "kubepd.io", "prefixleases");
      can.allow("create", "kubepd.io", "prefixleases");
      can.allow("patch", "kubepd.io", "prefixleases");
      can.allow("list", "kubepd.io", "delegationpolicies");
      can.allow("watch", "kubepd.io", "delegationpolicies");
      can.allow("get", "", "nodes");

      can.deny("delete", "kubepd.io", "prefixleases");
      can.deny("deletecollection", "kubepd.io", "prefixleases");
      can.deny("update", "kubepd.io", "prefixleases");
      can.deny("get", "kubepd.io", "prefixleases");
      can.deny("patch", "kubepd.io", "prefixleases/status");
      can.deny("update", "kubepd.io", "prefixleases/status");
      can.deny("patch", "kubepd.io", "delegationpolicies");
      can.deny("create", "", "events");
      can.deny("patch", "", "events");
      can.deny("create", "events.k8s.io", "events");
      can.deny("list", "", "nodes");
      can.deny("patch", "", "nodes");
      can.deny("get", "", "secrets");

      assertThat(can.unexpected()).as("answers that differ from what the code uses").isEmpty();
    }
  }

  /** What operator/src/main calls, directly or through java-operator-sdk and fabric8: kubectl auth can-i, as it. */
  @Test
  @Order(4)
  void operatorsRolesHaveExactlyTheVerbsItsCodeUses() {
    try (KubernetesClient operator = serviceAccountClient("kubepd-operator", null)) {
      Access can = new Access(operator, NAMESPACE);
      can.allow("list", "kubepd.io", "prefixleases");
      can.allow("watch", "kubepd.io", "prefixleases");
      can.allow("patch", "kubepd.io", "prefixleases");
      can.allow("delete", "kubepd.io", "prefixleases");
      can.allow("patch", "kubepd.io", "prefixleases/status");
      can.allow("list", "kubepd.io", "delegationpolicies");
      can.allow("watch", "kubepd.io", "delegationpolicies");
      can.allow("patch", "kubepd.io", "delegationpolicies/status");
      can.allow("get", "", "nodes");
      can.allow("list", "", "nodes");
      can.allow("watch", "", "nodes");
      can.allow("patch", "", "nodes");
      can.allow("create", "", "events");
      can.allow("get", "apiextensions.k8s.io", "customresourcedefinitions");
      can.allow("get", "coordination.k8s.io", "leases");
      can.allow("create", "coordination.k8s.io", "leases");
      can.allow("update", "coordination.k8s.io", "leases");
      can.allow("patch", "coordination.k8s.io", "leases");

      can.deny("get", "kubepd.io", "prefixleases");
      can.deny("create", "kubepd.io", "prefixleases");
      can.deny("update", "kubepd.io", "prefixleases");
      can.deny("update", "kubepd.io", "prefixleases/status");
      can.deny("update", "kubepd.io", "delegationpolicies/status");
      can.deny("patch", "kubepd.io", "delegationpolicies");
      can.deny("delete", "kubepd.io", "delegationpolicies");
      can.deny("update", "", "nodes");
      can.deny("delete", "", "nodes");
      can.deny("patch", "", "events");
      can.deny("create", "events.k8s.io", "events");
      can.deny("list", "apiextensions.k8s.io", "customresourcedefinitions");
      can.deny("create", "crd.projectcalico.org", "ippools");
      can.deny("get", "", "secrets");

      assertThat(can.unexpected()).as("answers that differ from what the code uses").isEmpty();
    }
  }

  @Test
  @Order(5)
  void upgradesWithChangedValues() {
    Release release = Helm.upgrade(Chart.DIR.toString()).withName("kubepd").withNamespace(NAMESPACE)
        .set("agent.updateStrategy.maxUnavailable", "10%")
        .set("policy.podPrefixLength", 80)
        .withKubeConfig(API.server().kubeconfig()).call();

    assertThat(release.getRevision()).isEqualTo("2");
    DaemonSet agent = admin.apps().daemonSets().inNamespace(NAMESPACE).withName("kubepd-agent").get();
    assertThat(agent.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getStrVal())
        .isEqualTo("10%");
    assertThat(admin.resources(DelegationPolicy.class).withName("default").get().getSpec().getPodPrefixLength())
        .isEqualTo(80);
  }

  @Test
  @Order(6)
  void uninstallKeepsTheCrdsAndTheLeases() {
    Helm.uninstall("kubepd").withNamespace(NAMESPACE).withKubeConfig(API.server().kubeconfig()).call();

    admin.apps().daemonSets().inNamespace(NAMESPACE).withName("kubepd-agent")
        .waitUntilCondition(d -> d == null, 30, TimeUnit.SECONDS);
    assertThat(admin.apiextensions().v1().customResourceDefinitions().withName("prefixleases.kubepd.io").get())
        .isNotNull();
    assertThat(admin.resources(PrefixLease.class).withName("node-a-eth0").get()).isNotNull();
    assertThat(API.server().kubectl("get", "prefixleases")).contains("node-a-eth0", "2001:db8:0:100::/56");
  }

  /**
   * A client with the agent's identity as a DaemonSet pod on the node has it: a service-account token bound to a pod
   * scheduled on that node, which carries the node's name in its extra fields.
   */
  private static KubernetesClient agentClientBoundTo(String node) {
    Pod pod = admin.pods().inNamespace(NAMESPACE).resource(new PodBuilder()
        .withMetadata(new ObjectMetaBuilder().withName("kubepd-agent-" + node).build())
        .withNewSpec()
        .withNodeName(node)
        .withServiceAccountName("kubepd-agent")
        .addNewContainer().withName("agent").withImage("ghcr.io/kubepd/dhcp-agent:0.1.0").endContainer()
        .endSpec()
        .build()).create();
    return serviceAccountClient("kubepd-agent", pod);
  }

  /** A client authenticated with a token of the release's {@code serviceAccount}, bound to {@code pod} if given. */
  private static KubernetesClient serviceAccountClient(String serviceAccount, Pod pod) {
    TokenRequestSpecBuilder spec = new TokenRequestSpecBuilder().withExpirationSeconds(3600L);
    if (pod != null) {
      spec.withNewBoundObjectRef().withApiVersion("v1").withKind("Pod").withName(pod.getMetadata().getName())
          .withUid(pod.getMetadata().getUid()).endBoundObjectRef();
    }
    String token = admin.serviceAccounts().inNamespace(NAMESPACE).withName(serviceAccount)
        .tokenRequest(new TokenRequestBuilder().withSpec(spec.build()).build())
        .getStatus().getToken();
    Config adminConfig = API.server().config();
    Config config = new ConfigBuilder(adminConfig)
        .withClientCertData(null).withClientCertFile(null)
        .withClientKeyData(null).withClientKeyFile(null)
        .withOauthToken(token)
        .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** Reports a lease as the agent does: server-side apply with its field manager, no status. */
  private static PrefixLease apply(KubernetesClient client, PrefixLease lease) {
    lease.getMetadata().setLabels(Map.of(PrefixLease.NODE_LABEL, lease.getSpec().getNodeName()));
    lease.setStatus(null);
    return client.resource(lease).fieldManager("kubepd-agent").forceConflicts().serverSideApply();
  }

  /** {@code kubectl auth can-i} for one identity: one SelfSubjectAccessReview per question, wrong answers collected. */
  private static final class Access {
    private final KubernetesClient client;
    private final String namespace;
    private final List<String> unexpected = new ArrayList<>();

    Access(KubernetesClient client, String namespace) {
      this.client = client;
      this.namespace = namespace;
    }

    void allow(String verb, String group, String resource) {
      expect(true, verb, group, resource);
    }

    void deny(String verb, String group, String resource) {
      expect(false, verb, group, resource);
    }

    /** Every answer that differed from the expectation, e.g. "may delete kubepd.io/prefixleases". */
    List<String> unexpected() {
      return unexpected;
    }

    private void expect(boolean allowed, String verb, String group, String resource) {
      String[] parts = resource.split("/", 2);
      SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder().withNewSpec()
          .withNewResourceAttributes()
          .withVerb(verb).withGroup(group).withResource(parts[0])
          .withSubresource(parts.length > 1 ? parts[1] : null)
          .withNamespace(namespace)
          .endResourceAttributes()
          .endSpec().build();
      boolean answer = client.authorization().v1().selfSubjectAccessReview().create(review)
          .getStatus().getAllowed();
      if (answer != allowed) {
        unexpected.add((answer ? "may " : "may not ") + verb + " " + (group.isEmpty() ? "" : group + "/") + resource);
      }
    }
  }

  private static PrefixLease lease(String name, String node, String prefix) {
    PrefixLease lease = new PrefixLease();
    lease.setMetadata(new ObjectMetaBuilder().withName(name).build());
    lease.getSpec().setNodeName(node);
    lease.getSpec().setInterfaceName("eth0");
    lease.getSpec().setIaid(1L);
    lease.getSpec().setDelegatedPrefix(prefix);
    lease.getSpec().setT1Seconds(1800);
    lease.getSpec().setT2Seconds(2880);
    lease.getSpec().setPreferredLifetimeSeconds(3600);
    lease.getSpec().setValidLifetimeSeconds(7200);
    lease.getSpec().setDhcpState(DhcpState.Bound);
    return lease;
  }
}
