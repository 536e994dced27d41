package io.kubepd.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Lint and render the chart with helm-java (native Helm) and check what it produces. */
class HelmChartTest {
  private static final Path VALUES = Path.of("src", "test", "resources", "values");

  @Test
  void lintsStrictlyClean() {
    LintResult result = Chart.helm().lint().strict().call();

    assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
  }

  @Test
  void rendersTheAgentAsAnUnprivilegedHostNetworkDaemonSet() {
    DaemonSet agent = Chart.find(Chart.render(Map.of()), DaemonSet.class, "kubepd-agent");
    PodSpec pod = agent.getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().get(0);

    assertThat(pod.getHostNetwork()).isTrue();
    assertThat(pod.getPriorityClassName()).isEqualTo("system-node-critical");
    assertThat(pod.getTolerations()).singleElement().satisfies(t -> assertThat(t.getOperator()).isEqualTo("Exists"));
    assertThat(container.getSecurityContext().getPrivileged()).isFalse();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getSecurityContext().getCapabilities().getAdd())
        .containsExactlyInAnyOrder("NET_ADMIN", "NET_BIND_SERVICE");
    assertThat(container.getImage()).isEqualTo("ghcr.io/kubepd/dhcp-agent:0.1.0");
    assertThat(container.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("NODE_NAME");
      assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
    });
    assertThat(container.getArgs()).contains("agent", "--node-name=$(NODE_NAME)", "--state-dir=/var/lib/kubepd");
    assertThat(container.getLivenessProbe().getHttpGet().getHost()).isEqualTo("127.0.0.1");
    assertThat(container.getReadinessProbe().getHttpGet().getHost()).isEqualTo("127.0.0.1");
    assertThat(pod.getVolumes()).anySatisfy(v -> {
      assertThat(v.getName()).isEqualTo("state");
      assertThat(v.getHostPath().getPath()).isEqualTo("/var/lib/kubepd");
    });
    assertThat(agent.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isEqualTo(1);
  }

  @Test
  void rendersTheOperatorWithLeaderElectionAndARestrictedPod() {
    List<HasMetadata> objects = Chart.render(Map.of());
    Deployment operator = Chart.find(objects, Deployment.class, "kubepd-operator");
    PodSpec pod = operator.getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().get(0);

    assertThat(operator.getSpec().getReplicas()).isEqualTo(2);
    assertThat(container.getArgs()).contains("--leader-election=true", "--namespace=kubepd-system");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getResources().getLimits()).containsKey("memory");
    Role leaderElection = Chart.find(objects, Role.class, "kubepd-leader-election");
    assertThat(leaderElection.getRules()).singleElement().satisfies(r -> {
      assertThat(r.getApiGroups()).containsExactly("coordination.k8s.io");
      assertThat(r.getResources()).containsExactly("leases");
    });
  }

  @Test
  void grantsTheAgentOnlyWhatItNeeds() {
    ClusterRole agent = Chart.find(Chart.render(Map.of()), ClusterRole.class, "kubepd-agent");

    assertThat(resources(agent)).containsExactlyInAnyOrder("prefixleases", "delegationpolicies", "nodes");
    // Server-side apply is patch, plus create for a new lease; the agent never updates, deletes or writes Events.
    assertThat(verbsOn(agent, "prefixleases")).containsExactlyInAnyOrder("list", "watch", "create", "patch");
    assertThat(verbsOn(agent, "delegationpolicies")).containsExactlyInAnyOrder("list", "watch");
    assertThat(verbsOn(agent, "nodes")).containsExactly("get");
  }

  @Test
  void grantsTheOperatorOnlyWhatItUses() {
    List<HasMetadata> objects = Chart.render(Map.of("policy.publish.calicoIPPool", true));
    ClusterRole operator = Chart.find(objects, ClusterRole.class, "kubepd-operator");
    Role leaderElection = Chart.find(objects, Role.class, "kubepd-leader-election");

    // No get: the operator patches through its cached objects, so fabric8 reads nothing first.
    assertThat(verbsOn(operator, "prefixleases"))
        .containsExactlyInAnyOrder("list", "watch", "patch", "delete");
    assertThat(verbsOn(operator, "prefixleases/status")).containsExactly("patch");
    assertThat(verbsOn(operator, "delegationpolicies")).containsExactlyInAnyOrder("list", "watch");
    assertThat(verbsOn(operator, "delegationpolicies/status")).containsExactly("patch");
    assertThat(verbsOn(operator, "nodes")).containsExactlyInAnyOrder("get", "list", "watch", "patch");
    assertThat(operator.getRules()).filteredOn(r -> r.getResources().contains("events")).singleElement()
        .satisfies(r -> {
          assertThat(r.getApiGroups()).containsExactly("");
          assertThat(r.getVerbs()).containsExactly("create");
        });
    assertThat(verbsOn(operator, "customresourcedefinitions")).containsExactly("get");
    assertThat(verbsOn(operator, "ippools"))
        .containsExactlyInAnyOrder("list", "watch", "create", "patch", "delete");
    // update only because java-operator-sdk checks for it before it starts leader election.
    assertThat(leaderElection.getRules()).singleElement()
        .satisfies(r -> assertThat(r.getVerbs()).containsExactlyInAnyOrder("get", "create", "update", "patch"));
  }

  @Test
  void noRoleUsesWildcardsOrTouchesSecrets() {
    List<HasMetadata> objects = Chart.render(Map.of());
    List<PolicyRule> rules = Stream.concat(
        objects.stream().filter(ClusterRole.class::isInstance).flatMap(o -> ((ClusterRole) o).getRules().stream()),
        objects.stream().filter(Role.class::isInstance).flatMap(o -> ((Role) o).getRules().stream())).toList();

    assertThat(rules).isNotEmpty().allSatisfy(r -> {
      assertThat(r.getVerbs()).doesNotContain("*");
      assertThat(r.getResources()).doesNotContain("*", "secrets");
      assertThat(r.getApiGroups()).doesNotContain("*");
    });
  }

  @Test
  void noPodIsPrivileged() {
    List<HasMetadata> objects = Chart.render(t -> t.withValuesFile(VALUES.resolve("enterprise.yaml")));
    Stream<PodSpec> pods = Stream.concat(
        objects.stream().filter(DaemonSet.class::isInstance)
            .map(o -> ((DaemonSet) o).getSpec().getTemplate().getSpec()),
        objects.stream().filter(Deployment.class::isInstance)
            .map(o -> ((Deployment) o).getSpec().getTemplate().getSpec()));

    assertThat(pods.flatMap(p -> p.getContainers().stream()))
        .hasSize(2)
        .allSatisfy(c -> assertThat(c.getSecurityContext().getPrivileged()).isNotEqualTo(Boolean.TRUE));
  }

  @Test
  void shipsTheOwnNodeAdmissionPolicyWithItsBinding() {
    List<HasMetadata> objects = Chart.render(Map.of());

    var policy = Chart.find(objects,
        io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy.class,
        "kubepd-agent-own-node");
    assertThat(policy.getSpec().getMatchConditions().get(0).getExpression())
        .contains("system:serviceaccount:kubepd-system:kubepd-agent");
    assertThat(policy.getSpec().getValidations()).hasSize(2);
    var binding = Chart.find(objects,
        io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding.class,
        "kubepd-agent-own-node");
    assertThat(binding.getSpec().getValidationActions()).containsExactly("Deny");
  }

  @Test
  void rendersAHomeIspSetup() {
    List<HasMetadata> objects = Chart.render(t -> t.withValuesFile(VALUES.resolve("home-isp.yaml")));
    DaemonSet agent = Chart.find(objects, DaemonSet.class, "kubepd-agent");
    var policy = Chart.findGeneric(objects, "DelegationPolicy", "default");

    assertThat(policy.get("spec", "podPrefixLength").toString()).isEqualTo("80");
    assertThat(policy.get("spec", "uplinks").toString()).contains("enp1s0").contains("56");
    // The conflist mode: the agent writes the whole network config into the runtime's directory.
    PodSpec pod = agent.getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers().get(0).getArgs()).contains("--cni-ranges-file=/host/cni/10-kubepd.conflist",
        "--cni-conflist-template=/etc/kubepd/cni/template.conflist");
    assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getHostPath() != null
        && "/etc/cni/net.d".equals(v.getHostPath().getPath())).isTrue());
    assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getConfigMap() != null
        && "kubepd-cni-template".equals(v.getConfigMap().getName())).isTrue());
    assertThat(agent.getSpec().getTemplate().getMetadata().getAnnotations()).containsKey("checksum/cni-template");
    ConfigMap template = Chart.find(objects, ConfigMap.class, "kubepd-cni-template");
    assertThat(template.getData().get("template.conflist"))
        .contains("\"type\": \"host-local\"", "\"dst\": \"::/0\"", "\"portMappings\": true");
  }

  @Test
  void passesSeveralIaPdsOfAnUplinkToThePolicy() {
    // --set replaces the whole list element, so the interface comes along.
    var policy = Chart.findGeneric(Chart.render(Map.of("policy.uplinks[0].interface", "wan0",
        "policy.uplinks[0].iaPds", 2)), "DelegationPolicy", "default");

    assertThat(policy.get("spec", "uplinks").toString()).contains("iaPds=2").contains("interface=wan0");
    assertThatThrownBy(() -> Chart.render(Map.of("policy.uplinks[0].interface", "wan0", "policy.uplinks[0].iaPds", 9)))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining("iaPds");
  }

  @Test
  void writesTheRangesFragmentOutsideTheRuntimesConfigDirectoryByDefault() {
    List<HasMetadata> objects = Chart.render(Map.of("agent.cni.enabled", true));
    PodSpec pod = Chart.find(objects, DaemonSet.class, "kubepd-agent").getSpec().getTemplate().getSpec();

    assertThat(pod.getContainers().get(0).getArgs()).contains("--cni-ranges-file=/host/cni/ranges.json")
        .noneMatch(a -> a.startsWith("--cni-conflist-template"));
    assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getHostPath() != null
        && "/var/lib/kubepd/cni".equals(v.getHostPath().getPath())).isTrue());
    assertThat(Chart.names(objects)).doesNotContain("ConfigMap/kubepd-cni-template");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/etc/cni/net.d/kubepd-ranges.json", "/etc/cni/net.d/10-kubepd.conflist",
      "/etc/cni/net.d/99-kubepd.conf", "/etc/cni/./net.d/kubepd-ranges.json"})
  void failsWhenARangesFragmentWouldLandInTheRuntimesConfigDirectory(String rangesFile) {
    assertThatThrownBy(() -> Chart.render(Map.of("agent.cni.enabled", true, "agent.cni.rangesFile", rangesFile)))
        .hasMessageContaining("agent.cni.rangesFile " + rangesFile
            + " is in the container runtime's CNI config directory");
  }

  @Test
  void failsWhenAConflistWouldBeReadAsASinglePluginsConfig() {
    assertThatThrownBy(() -> Chart.render(t -> t.withValuesFile(VALUES.resolve("home-isp.yaml"))
        .set("agent.cni.rangesFile", "/etc/cni/net.d/10-kubepd.json")))
        .hasMessageContaining("agent.cni.rangesFile /etc/cni/net.d/10-kubepd.json must end in .conflist");
  }

  @Test
  void failsWhenAConflistTemplateHasNobodyToWriteIt() {
    assertThatThrownBy(() -> Chart.render(t -> t.withValuesFile(VALUES.resolve("home-isp.yaml"))
        .set("agent.cni.enabled", false)))
        .hasMessageContaining("agent.cni.conflistTemplate is set but agent.cni.enabled=false");
  }

  @Test
  void rendersAnEnterpriseSetup() {
    List<HasMetadata> objects = Chart.render(t -> t.withValuesFile(VALUES.resolve("enterprise.yaml")));
    ClusterRole operator = Chart.find(objects, ClusterRole.class, "kubepd-operator");
    Deployment deployment = Chart.find(objects, Deployment.class, "kubepd-operator");

    assertThat(resources(operator)).contains("ippools");
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("registry.example.internal/kubepd/operator:0.1.0-rc1");
    assertThat(deployment.getSpec().getTemplate().getSpec().getImagePullSecrets())
        .singleElement().satisfies(s -> assertThat(s.getName()).isEqualTo("regcred"));
    assertThat(Chart.names(objects)).contains("ServiceMonitor/kubepd");
    assertThat(Chart.findGeneric(objects, "DelegationPolicy", "default").get("spec", "uplinks").toString())
        .contains("bond0", "bond1");
  }

  @Test
  void rendersASingleOperatorWithoutLeaderElection() {
    List<HasMetadata> objects = Chart.render(t -> t.withValuesFile(VALUES.resolve("single-operator.yaml")));

    assertThat(Chart.names(objects))
        .doesNotContain("Role/kubepd-leader-election", "ValidatingAdmissionPolicy/kubepd-agent-own-node");
    assertThat(Chart.find(objects, Deployment.class, "kubepd-operator").getSpec().getReplicas()).isEqualTo(1);
  }

  @Test
  void failsWhenTwoOperatorsWouldRunWithoutLeaderElection() {
    assertThatThrownBy(() -> Chart.render(Map.of("operator.leaderElection.enabled", false)))
        .hasMessageContaining("operator.replicas > 1 needs operator.leaderElection.enabled=true");
  }

  @Test
  void failsWhenThePodPrefixIsLargerThanTheHintedDelegation() {
    assertThatThrownBy(() -> Chart.render(Map.of(
        "policy.uplinks[0].interface", "eth0",
        "policy.uplinks[0].prefixLengthHint", 56,
        "policy.podPrefixLength", 48)))
        .hasMessageContaining("policy.podPrefixLength (48) is shorter than the prefixLengthHint 56 of uplink eth0");
  }

  @Test
  void failsWhenAServiceMonitorHasNoService() {
    assertThatThrownBy(() -> Chart.render(Map.of(
        "metrics.serviceMonitor.enabled", true, "metrics.service", false)))
        .hasMessageContaining("metrics.serviceMonitor.enabled=true needs metrics.service=true");
  }

  @ParameterizedTest
  @ValueSource(strings = {"agent.bogus=1", "policy.routeMode=Sideways", "policy.podPrefixLength=200",
      "operator.logLevel=loud", "agent.stateDir=relative/path", "agent.cni.rangesFile=/var/lib/kubepd/ranges.txt"})
  void schemaRejectsBadValues(String assignment) {
    String[] kv = assignment.split("=", 2);
    Object value = kv[1].matches("\\d+") ? Integer.valueOf(kv[1]) : kv[1];

    assertThatThrownBy(() -> Chart.render(Map.of(kv[0], value)))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(kv[0].substring(kv[0].lastIndexOf('.') + 1));
  }

  private static List<String> resources(ClusterRole role) {
    return role.getRules().stream().flatMap(r -> r.getResources().stream()).distinct().toList();
  }

  private static List<String> verbsOn(ClusterRole role, String resource) {
    return role.getRules().stream().filter(r -> r.getResources().contains(resource))
        .flatMap(r -> r.getVerbs().stream()).toList();
  }
}
