package io.kubepd.operator.it;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubepd.crd.v1alpha1.Conditions;
import io.kubepd.crd.v1alpha1.DelegationPolicy;
import io.kubepd.crd.v1alpha1.DelegationPolicySpec;
import io.kubepd.crd.v1alpha1.DhcpState;
import io.kubepd.crd.v1alpha1.LeasePhase;
import io.kubepd.crd.v1alpha1.PrefixLease;
import io.kubepd.crd.v1alpha1.PrefixLeaseSpec;
import io.kubepd.operator.KubepdOperator;
import io.kubepd.operator.OperatorSettings;
import io.kubepd.operator.status.Timestamps;
import io.kubepd.testkit.kube.Crds;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Test helpers for a real API server: CRDs, Nodes, leases and policies, and waiting for conditions. */
public final class Cluster {
  /** How long any reconciliation may take in these tests. */
  public static final Duration PATIENCE = Duration.ofSeconds(30);

  private Cluster() {}

  /** Installs kubepd's generated CRDs (from the crds jar) and waits until they are served. */
  public static void installCrds(KubernetesClient client) {
    installCrd(client, "/META-INF/fabric8/prefixleases.kubepd.io-v1.yml");
    installCrd(client, "/META-INF/fabric8/delegationpolicies.kubepd.io-v1.yml");
  }

  /** Installs a CRD from a classpath resource and waits for it to be Established. */
  public static void installCrd(KubernetesClient client, String resource) {
    try (InputStream in = Cluster.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the classpath");
      }
      Crds.install(client, in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Settings for a single test replica: no leader election, ephemeral ports, short Calico recheck. */
  public static OperatorSettings settings(String identity) {
    return OperatorSettings.defaults(identity)
        .withLeaderElection(false, "default", "kubepd-operator")
        .withPorts(0, 0)
        .withReconcileThreads(4)
        .withCalicoRecheck(Duration.ofSeconds(1));
  }

  /** Starts a single replica. */
  public static KubepdOperator operator(KubernetesClient client) {
    return KubepdOperator.start(client, settings("test-operator"));
  }

  /** Creates a Node with labels. */
  public static Node node(KubernetesClient client, String name, Map<String, String> labels) {
    return client.resource(new NodeBuilder().withNewMetadata().withName(name).withLabels(labels)
        .addToLabels("kubernetes.io/hostname", name).endMetadata().build()).create();
  }

  /** A lease spec as the agent writes it: Bound, with a valid lifetime ending at {@code expiresAt}. */
  public static PrefixLease lease(String name, String node, String prefix, Instant expiresAt) {
    PrefixLease lease = new PrefixLease();
    lease.getMetadata().setName(name);
    lease.getMetadata().setLabels(Map.of(PrefixLease.NODE_LABEL, node, PrefixLease.INTERFACE_LABEL, "eth0"));
    PrefixLeaseSpec spec = lease.getSpec();
    spec.setNodeName(node);
    spec.setInterfaceName("eth0");
    spec.setIaid(1L);
    spec.setClientDuid("000300015254000000aa");
    spec.setServerDuid("0001000129a1f2e3525400000001");
    spec.setDelegatedPrefix(prefix);
    spec.setT1Seconds(1800);
    spec.setT2Seconds(2880);
    spec.setPreferredLifetimeSeconds(3600);
    spec.setValidLifetimeSeconds(7200);
    spec.setObtainedAt(Timestamps.format(Instant.now()));
    spec.setRenewedAt(Timestamps.format(Instant.now()));
    spec.setExpiresAt(expiresAt == null ? null : Timestamps.format(expiresAt));
    spec.setDhcpState(DhcpState.Bound);
    return lease;
  }

  /** Creates a lease owned by its Node, as the agent does. */
  public static PrefixLease createLease(KubernetesClient client, String name, Node node, String prefix) {
    PrefixLease lease = lease(name, node.getMetadata().getName(), prefix, Instant.now().plus(Duration.ofHours(2)));
    lease.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
        .withName(node.getMetadata().getName()).withUid(node.getMetadata().getUid()).build()));
    return client.resource(lease).create();
  }

  /** A policy selecting nodes with {@code labels} (all nodes when empty), with one eth0 uplink. */
  public static DelegationPolicy policy(String name, Map<String, String> labels) {
    DelegationPolicy policy = new DelegationPolicy();
    policy.getMetadata().setName(name);
    DelegationPolicySpec spec = policy.getSpec();
    if (!labels.isEmpty()) {
      spec.setNodeSelector(new LabelSelectorBuilder().withMatchLabels(labels).build());
    }
    DelegationPolicySpec.Uplink uplink = new DelegationPolicySpec.Uplink();
    uplink.setInterfaceName("eth0");
    spec.setUplinks(List.of(uplink));
    return policy;
  }

  /** The lease as stored now. */
  public static PrefixLease get(KubernetesClient client, String lease) {
    return client.resources(PrefixLease.class).withName(lease).get();
  }

  /** Waits until the lease satisfies {@code done}; returns it. */
  public static PrefixLease awaitLease(KubernetesClient client, String lease, Predicate<PrefixLease> done) {
    return awaitValue(() -> get(client, lease), l -> l != null && done.test(l));
  }

  /** Waits until the lease's status reaches {@code phase} for its current generation. */
  public static PrefixLease awaitPhase(KubernetesClient client, String lease, LeasePhase phase) {
    return awaitLease(client, lease, l -> l.getStatus() != null && l.getStatus().getPhase() == phase
        && l.getMetadata().getGeneration().equals(l.getStatus().getObservedGeneration()));
  }

  /** Waits until {@code value} satisfies {@code done}; returns the value. */
  public static <T> T awaitValue(Supplier<T> value, Predicate<T> done) {
    return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(value::get, done::test);
  }

  /** Waits until {@code condition} holds. */
  public static void awaitTrue(Supplier<Boolean> condition) {
    await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(condition::get);
  }

  /** The value of a counter or gauge without labels in a Prometheus scrape; 0 when absent. */
  public static double metric(String scrape, String name) {
    return scrape.lines().filter(l -> l.startsWith(name + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1).trim())).findFirst().orElse(0);
  }

  /** A condition of a lease's status. */
  public static Optional<io.fabric8.kubernetes.api.model.Condition> condition(PrefixLease lease, String type) {
    return lease.getStatus() == null ? Optional.empty() : lease.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals(type)).findFirst();
  }

  /** Whether a lease's condition has the status. */
  public static boolean conditionIs(PrefixLease lease, String type, String status) {
    return condition(lease, type).map(c -> status.equals(c.getStatus())).orElse(false);
  }

  /** Events recorded about an object (by name and kind) with a reason. */
  public static List<Event> events(KubernetesClient client, String kind, String name, String reason) {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> kind.equals(e.getInvolvedObject().getKind()) && name.equals(e.getInvolvedObject().getName())
            && reason.equals(e.getReason()))
        .toList();
  }

  /** Waits for an event and returns it. */
  public static Event awaitEvent(KubernetesClient client, String kind, String name, String reason) {
    return awaitValue(() -> events(client, kind, name, reason), l -> !l.isEmpty()).get(0);
  }

  static boolean ready(PrefixLease lease) {
    return conditionIs(lease, Conditions.READY, Conditions.TRUE);
  }
}
