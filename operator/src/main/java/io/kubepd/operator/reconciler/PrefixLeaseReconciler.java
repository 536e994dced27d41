package io.kubepd.operator.reconciler;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.EventSourceStartPriority;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import io.kubepd.crd.v1alpha1.Conditions;
import io.kubepd.crd.v1alpha1.DelegationPolicy;
import io.kubepd.crd.v1alpha1.LeasePhase;
import io.kubepd.crd.v1alpha1.PrefixLease;
import io.kubepd.crd.v1alpha1.PrefixLeaseStatus;
import io.kubepd.operator.OperatorSettings;
import io.kubepd.operator.allocation.Allocation;
import io.kubepd.operator.allocation.Allocator;
import io.kubepd.operator.allocation.Claim;
import io.kubepd.operator.allocation.Drain;
import io.kubepd.operator.allocation.Ipv6Prefix;
import io.kubepd.operator.allocation.LeaseTerms;
import io.kubepd.operator.allocation.PrefixClaims;
import io.kubepd.operator.health.OperatorMetrics;
import io.kubepd.operator.publish.CalicoIpPools;
import io.kubepd.operator.publish.NodePublication;
import io.kubepd.operator.publish.NodePublisher;
import io.kubepd.operator.publish.PublishedCondition;
import io.kubepd.operator.status.ConditionSet;
import io.kubepd.operator.status.EventRecorder;
import io.kubepd.operator.status.LeaseStatuses;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one PrefixLease: observe (its Node and the policy selecting it), decide (the pure {@link Allocator}),
 * publish (the node's pod CIDR, under a per-node lock since a node's leases share it), then report (status through
 * the status subresource, Events on transitions). Reads only informer caches and indexes; writes only what changed.
 */
public final class PrefixLeaseReconciler implements Reconciler<PrefixLease> {
  /** Controller name, also the field manager of the status. */
  public static final String NAME = "prefixlease";
  /** Event reasons. */
  public static final String ALLOCATED = "Allocated";
  public static final String RENUMBERED = "Renumbered";
  public static final String CONFLICT = "PrefixConflict";
  public static final String EXPIRED = "Expired";
  public static final String INVALID = "InvalidAllocation";

  static final String BY_NODE = "byNode";
  static final String BY_POLICY = "byPolicy";

  private static final Logger log = LoggerFactory.getLogger(PrefixLeaseReconciler.class);
  private static final int LOCK_STRIPES = 256;
  /** Serializes a status with every top-level field, nulls included, so that a merge patch removes what is gone. */
  private static final ObjectMapper STATUS_PATCH = Serialization.jsonMapper().copy()
      .addMixIn(PrefixLeaseStatus.class, EveryField.class);

  private final KubernetesClient client;
  private final OperatorSettings settings;
  private final Clock clock;
  private final OperatorMetrics metrics;
  private final EventRecorder events;
  private final SimpleInboundEventSource<DelegationPolicy> policyWakeups;
  private final PrefixClaims claims = new PrefixClaims();
  private final LeaseRelationsEventSource relations = new LeaseRelationsEventSource(claims);
  private final CalicoIpPools calico;
  private final NodePublisher publisher;
  private final ReentrantLock[] nodeLocks = new ReentrantLock[LOCK_STRIPES];
  /** What the operator last wrote to each node, so that the echo of its own patch triggers nothing. */
  private final Map<String, NodeEvents.Published> written = new ConcurrentHashMap<>();
  /** The lease each node last published, to tell its other leases when that changes. */
  private final Map<String, String> publishedLease = new ConcurrentHashMap<>();

  private volatile boolean ownerPatchForbidden;
  private volatile IndexedResourceCache<PrefixLease> leases;
  private volatile InformerEventSource<Node, PrefixLease> nodes;
  private volatile InformerEventSource<DelegationPolicy, PrefixLease> policies;

  /**
   * @param policyWakeups told which policies' lease counts changed
   */
  public PrefixLeaseReconciler(KubernetesClient client, OperatorSettings settings, OperatorMetrics metrics,
      EventRecorder events, SimpleInboundEventSource<DelegationPolicy> policyWakeups) {
    this.client = client;
    this.settings = settings;
    this.clock = settings.clock();
    this.metrics = metrics;
    this.events = events;
    this.policyWakeups = policyWakeups;
    this.calico = new CalicoIpPools(client, clock, settings.calicoRecheck(), this::wakeNode);
    this.publisher = new NodePublisher(client, calico);
    for (int i = 0; i < LOCK_STRIPES; i++) {
      nodeLocks[i] = new ReentrantLock();
    }
  }

  @Override
  public List<EventSource<?, PrefixLease>> prepareEventSources(EventSourceContext<PrefixLease> context) {
    leases = context.getPrimaryCache();
    context.getPrimaryCache().addIndexers(Map.of(
        BY_NODE, lease -> lease.getSpec() == null || lease.getSpec().getNodeName() == null
            ? List.of() : List.of(lease.getSpec().getNodeName()),
        BY_POLICY, lease -> lease.getStatus() == null || lease.getStatus().getPolicy() == null
            ? List.of() : List.of(lease.getStatus().getPolicy())));
    nodes = new InformerEventSource<>(InformerEventSourceConfiguration.from(Node.class, PrefixLease.class)
        .withName("nodes")
        .withSecondaryToPrimaryMapper(node -> leaseIds(node.getMetadata().getName()))
        .withPrimaryToSecondaryMapper((PrefixLease lease) -> Set.of(new ResourceID(lease.getSpec().getNodeName())))
        // A new Node has no leases yet (a lease without its Node is deleted), and at start-up every lease is
        // reconciled on its own: the ADD notifications of thousands of Nodes would only double the work.
        .withOnAddFilter(node -> false)
        .withOnUpdateFilter((updated, previous) ->
            NodeEvents.relevant(updated, previous, written.get(updated.getMetadata().getName())))
        .withItemStore(new TransformingItemStore<>(NodeEvents::prune))
        .withInformerListLimit(settings.informerListLimit())
        .build(), context);
    // The policy mapper reads the node cache, so nodes load first.
    nodes.setEventSourcePriority(EventSourceStartPriority.RESOURCE_STATE_LOADER);
    policies = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(DelegationPolicy.class, PrefixLease.class)
            .withName("policies")
            .withSecondaryToPrimaryMapper(this::leasesConcerning)
            .withPrimaryToSecondaryMapper((PrefixLease lease) -> Set.of())
            // Status updates (lease counts) change nothing for leases; spec changes bump the generation.
            // A new Node has no leases yet (a lease without its Node is deleted), and at start-up every lease is
        // reconciled on its own: the ADD notifications of thousands of Nodes would only double the work.
        .withOnAddFilter(node -> false)
        .withOnUpdateFilter((updated, previous) ->
                !Objects.equals(updated.getMetadata().getGeneration(), previous.getMetadata().getGeneration())
                    || !Objects.equals(updated.getMetadata().getDeletionTimestamp(),
                        previous.getMetadata().getDeletionTimestamp()))
            .build(), context);
    return List.of(nodes, policies, relations);
  }

  @Override
  public UpdateControl<PrefixLease> reconcile(PrefixLease lease, Context<PrefixLease> context) {
    return metrics.timeReconcile(() -> context.isPrimaryResourceDeleted() ? deleted(lease)
        : reconcileLive(lease, context));
  }

  /** Number of leases claiming a prefix. */
  public int claims() {
    return claims.size();
  }

  /** Number of leases of the nodes {@code policy} selects, from the caches. */
  public int leasesSelectedBy(DelegationPolicy policy) {
    InformerEventSource<Node, PrefixLease> nodeCache = nodes;
    if (nodeCache == null || !nodeCache.isRunning()) {
      return 0;
    }
    return nodeCache.list()
        .filter(node -> LabelSelectors.matches(policy.getSpec().getNodeSelector(), node.getMetadata().getLabels()))
        .mapToInt(node -> leases.byIndex(BY_NODE, node.getMetadata().getName()).size())
        .sum();
  }

  private UpdateControl<PrefixLease> reconcileLive(PrefixLease lease, Context<PrefixLease> context) {
    String name = lease.getMetadata().getName();
    String nodeName = lease.getSpec().getNodeName();
    Optional<Node> node = liveNode(lease, nodes.get(new ResourceID(nodeName)));
    if (node.isEmpty()) {
      return UpdateControl.noUpdate();
    }
    ensureOwnerReference(lease, node.get());
    Instant now = clock.instant();
    PolicySelection selection = select(node.get());
    Plan plan = plan(lease, selection, now);
    Allocation allocation = plan.allocation();
    NodePublication publication;
    NodePublisher.Published published;
    ReentrantLock lock = lockFor(nodeName);
    lock.lock();
    try {
      publication = publication(nodeName, Optional.of(new Candidate(lease, plan)), selection, now);
      published = publish(nodeName, node.get(), publication, name);
    } finally {
      lock.unlock();
    }
    ConditionSet.Desired publishedCondition = PublishedCondition.forLease(name,
        allocation.outcome() == Allocation.Outcome.READY, publication, published);
    Optional<LeaseTerms> terms = plan.terms();
    PrefixLeaseStatus previous = lease.getStatus();
    PrefixLeaseStatus status = LeaseStatuses.build(lease, allocation, new LeaseStatuses.Context(
        terms.map(t -> t.delegatedPrefix().toString()).orElse(lease.getSpec().getDelegatedPrefix()),
        terms.flatMap(LeaseTerms::excludedPrefix).map(Ipv6Prefix::toString), terms.flatMap(LeaseTerms::expiresAt), selection.policyName(), selection.condition(), publishedCondition),
        now);
    report(lease, node.get(), previous, status, allocation);

    if (!sameStatus(previous, status)) {
      writeStatus(lease, status, context);
    }
    UpdateControl<PrefixLease> control = UpdateControl.noUpdate();
    Optional<Duration> review = allocation.reviewAt().map(at -> Duration.between(now, at));
    if (published.calico() == CalicoIpPools.Result.CRD_MISSING) {
      review = Optional.of(review.filter(d -> d.compareTo(calico.recheck()) < 0).orElse(calico.recheck()));
    }
    // At the instant a lifetime ends it is over, so a review one millisecond later sees the new state.
    review.ifPresent(delay -> control.rescheduleAfter(Math.max(1, delay.toMillis() + 1)));
    return control;
  }

  /** A lease was deleted: the node publishes its next lease (or nothing), overlapping leases were already woken. */
  private UpdateControl<PrefixLease> deleted(PrefixLease lease) {
    String name = lease.getMetadata().getName();
    metrics.leaseDeleted(name);
    String nodeName = lease.getSpec().getNodeName();
    Optional<Node> node = nodes.get(new ResourceID(nodeName));
    ReentrantLock lock = lockFor(nodeName);
    lock.lock();
    try {
      if (node.isPresent()) {
        PolicySelection selection = select(node.get());
        NodePublication publication =
            publication(nodeName, Optional.empty(), selection, clock.instant());
        publish(nodeName, node.get(), publication, name);
      } else if (leases.byIndex(BY_NODE, nodeName).isEmpty()) {
        publishedLease.remove(nodeName);
        written.remove(nodeName);
      }
    } finally {
      lock.unlock();
    }
    wakePolicies(lease.getStatus() == null ? null : lease.getStatus().getPolicy());
    log.info("lease deleted lease={} node={}", name, nodeName);
    return UpdateControl.noUpdate();
  }

  /** A lease's terms (empty when unreadable) and its allocation. */
  private record Plan(Optional<LeaseTerms> terms, Allocation allocation) {}

  /** A lease of a node with its plan. */
  private record Candidate(PrefixLease lease, Plan plan) {}

  /** The plan of any lease of a node, from caches: used for the reconciled lease and its siblings. */
  private Plan plan(PrefixLease lease, PolicySelection selection, Instant now) {
    LeaseReading.Reading reading = LeaseReading.read(lease, now);
    if (reading instanceof LeaseReading.Reading.Unreadable unreadable) {
      return new Plan(Optional.empty(), Allocation.nothing(Allocation.Outcome.INVALID, unreadable.reason(),
          unreadable.message(), Optional.empty()));
    }
    LeaseTerms terms = ((LeaseReading.Reading.Terms) reading).terms();
    List<Claim> earlier = LeaseReading.claim(lease)
        .map(claim -> claims.earlierOverlapping(claim, now))
        .orElse(List.of());
    return new Plan(Optional.of(terms), Allocator.allocate(terms, selection.carving(), earlier, now));
  }

  /**
   * What the node should publish: its oldest Ready lease. The reconciled lease's fresh allocation is used for it;
   * its siblings are planned from the caches, so the answer does not depend on which lease reconciles last.
   */
  private NodePublication publication(
      String nodeName, Optional<Candidate> self, PolicySelection selection, Instant now) {
    String selfName = self.map(c -> c.lease().getMetadata().getName()).orElse(null);
    List<Candidate> candidates = new ArrayList<>();
    self.ifPresent(candidates::add);
    for (PrefixLease sibling : leases.byIndex(BY_NODE, nodeName)) {
      if (!sibling.getMetadata().getName().equals(selfName)) {
        candidates.add(new Candidate(sibling, plan(sibling, selection, now)));
      }
    }
    Optional<NodePublication.Primary> primary = candidates.stream()
        .filter(c -> c.plan().allocation().outcome() == Allocation.Outcome.READY)
        .min(Comparator.comparing((Candidate c) -> LeaseReading.createdAt(c.lease()))
            .thenComparing(c -> c.lease().getMetadata().getName()))
        .map(c -> new NodePublication.Primary(c.lease().getMetadata().getName(),
            c.plan().terms().map(LeaseTerms::delegatedPrefix).orElseThrow(),
            c.plan().allocation().podCidr().orElseThrow(),
            c.plan().allocation().draining().stream().map(Drain::podCidr).flatMap(Optional::stream).toList()));
    return new NodePublication(nodeName, primary, selection.publish());
  }

  /** Publishes for a node (caller holds its lock) and tells its other leases when the published lease changes. */
  private NodePublisher.Published publish(String nodeName, Node node, NodePublication publication, String by) {
    // The cache holds our last patch of this node (see below), so this is the freshest view short of a GET.
    Node current = nodes.get(new ResourceID(nodeName)).orElse(node);
    NodePublisher.Published published = publisher.publish(current, publication,
        expected -> written.put(nodeName, NodeEvents.published(expected)));
    published.node().ifPresent(patched ->
        nodes.handleRecentResourceUpdate(new ResourceID(nodeName), patched, current));
    String primary = publication.primary().map(NodePublication.Primary::lease).orElse("");
    String before = publishedLease.put(nodeName, primary);
    if (before != null && !before.equals(primary)) {
      for (PrefixLease sibling : leases.byIndex(BY_NODE, nodeName)) {
        if (!sibling.getMetadata().getName().equals(by)) {
          relations.wake(sibling.getMetadata().getName());
        }
      }
    }
    return published;
  }

  /** Events, metrics and the one log line per phase transition. */
  private void report(PrefixLease lease, Node node, PrefixLeaseStatus previous, PrefixLeaseStatus status,
      Allocation allocation) {
    String name = lease.getMetadata().getName();
    LeasePhase before = previous == null ? null : previous.getPhase();
    LeasePhase after = status.getPhase();
    metrics.leasePhase(name, after);
    if (before != after) {
      log.info("lease={} node={} prefix={} phase {} -> {} reason={} message=\"{}\"", name, node.getMetadata().getName(),
          status.getDelegatedPrefix(), before == null ? "-" : before, after, allocation.reason(), allocation.message());
    }
    String prefix = status.getDelegatedPrefix();
    switch (after) {
      case Ready -> {
        String podCidr = status.getPodCIDRs().get(0);
        if (before != LeasePhase.Ready) {
          both(lease, node, EventRecorder.NORMAL, ALLOCATED, "pod CIDR " + podCidr + " allocated from " + prefix
              + " for node " + node.getMetadata().getName());
        } else if (!Objects.equals(previous.getDelegatedPrefix(), prefix)) {
          metrics.renumbering();
          String drain = status.getDraining().stream()
              .filter(d -> d.getDelegatedPrefix().equals(previous.getDelegatedPrefix()))
              .map(d -> "; it drains until " + d.getExpiresAt()).findFirst().orElse("");
          log.info("lease={} renumbered from={} to={} podCIDR={}", name, previous.getDelegatedPrefix(), prefix,
              podCidr);
          both(lease, node, EventRecorder.NORMAL, RENUMBERED, "renumbered from " + previous.getDelegatedPrefix()
              + " to " + prefix + ": pod CIDR " + podCidr + drain);
        }
      }
      case Conflict -> {
        if (before != LeasePhase.Conflict) {
          metrics.conflict();
          both(lease, node, EventRecorder.WARNING, CONFLICT, allocation.message());
        }
      }
      case Expired -> {
        if (before != LeasePhase.Expired) {
          both(lease, node, Allocator.RELEASED.equals(allocation.reason()) ? EventRecorder.NORMAL
              : EventRecorder.WARNING, EXPIRED, allocation.message());
        }
      }
      case Invalid -> {
        if (before != LeasePhase.Invalid) {
          both(lease, node, EventRecorder.WARNING, INVALID, allocation.message());
        }
      }
      case Pending -> { }
    }
    Optional<Condition> wasPublished = previous == null ? Optional.empty()
        : ConditionSet.find(previous.getConditions(), Conditions.POD_CIDR_PUBLISHED);
    ConditionSet.find(status.getConditions(), Conditions.POD_CIDR_PUBLISHED)
        .filter(c -> PublishedCondition.NODE_POD_CIDRS_IMMUTABLE.equals(c.getReason())
            || PublishedCondition.CALICO_MISSING.equals(c.getReason()))
        .filter(c -> wasPublished.map(w -> !c.getReason().equals(w.getReason())).orElse(true))
        .ifPresent(c -> both(lease, node, EventRecorder.WARNING, c.getReason(), c.getMessage()));
    // A new lease, or one that changed policy, changes lease counts.
    String policyBefore = previous == null ? null : previous.getPolicy();
    if (previous == null || previous.getPhase() == null || !Objects.equals(policyBefore, status.getPolicy())) {
      wakePolicies(policyBefore, status.getPolicy());
    }
  }

  private void wakePolicies(String... names) {
    for (String policy : new HashSet<>(Arrays.asList(names))) {
      if (policy != null) {
        policyWakeups.propagateEvent(new ResourceID(policy));
      }
    }
  }

  private void both(PrefixLease lease, Node node, String type, String reason, String message) {
    events.record(lease, type, reason, message);
    events.record(node, type, reason, "PrefixLease " + lease.getMetadata().getName() + ": " + message);
  }

  /**
   * The lease's Node, or empty after deleting the lease because its Node is gone. There is no garbage collector
   * to rely on everywhere (and it only acts on owner references), so the operator removes leases whose Node no
   * longer exists, or whose owner reference names a Node that was deleted and re-created. The cache may lag, so
   * absence is confirmed with the API server before deleting.
   */
  private Optional<Node> liveNode(PrefixLease lease, Optional<Node> cached) {
    Optional<String> ownerUid = nodeOwner(lease).map(OwnerReference::getUid);
    if (cached.isPresent() && ownerUid.map(uid -> uid.equals(cached.get().getMetadata().getUid())).orElse(true)) {
      return cached;
    }
    Node live = client.nodes().withName(lease.getSpec().getNodeName()).get();
    if (live != null && ownerUid.map(uid -> uid.equals(live.getMetadata().getUid())).orElse(true)) {
      return Optional.of(live);
    }
    String why = live == null ? "node " + lease.getSpec().getNodeName() + " does not exist"
        : "its owner Node (uid " + ownerUid.orElse("?") + ") was replaced by another of the same name";
    log.info("deleting orphaned lease lease={} reason=\"{}\"", lease.getMetadata().getName(), why);
    client.resources(PrefixLease.class).withName(lease.getMetadata().getName()).delete();
    metrics.orphanDeleted();
    return Optional.empty();
  }

  /** Adds the Node owner reference the agent should have set, so the garbage collector can do its part. */
  private void ensureOwnerReference(PrefixLease lease, Node node) {
    if (ownerPatchForbidden || nodeOwner(lease).isPresent()) {
      return;
    }
    OwnerReference owner = new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
        .withName(node.getMetadata().getName()).withUid(node.getMetadata().getUid()).build();
    boolean none = lease.getMetadata().getOwnerReferences() == null
        || lease.getMetadata().getOwnerReferences().isEmpty();
    String patch = Serialization.asJson(List.of(Map.of("op", "add",
        "path", none ? "/metadata/ownerReferences" : "/metadata/ownerReferences/-",
        "value", none ? List.of(owner) : owner)));
    PrefixLease patched;
    try {
      patched = client.resource(lease).patch(PatchContext.of(PatchType.JSON), patch);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 403) {
        throw e;
      }
      // RBAC is the same for every lease: say it once and stop asking.
      ownerPatchForbidden = true;
      log.warn("cannot add owner references to PrefixLeases: the operator's role lacks \"patch\" on prefixleases; "
          + "leases of deleted Nodes are still removed by the operator error=\"{}\"", e.getMessage());
      return;
    }
    // The status patch that follows carries this resourceVersion, so it must be the new one.
    lease.getMetadata().setResourceVersion(patched.getMetadata().getResourceVersion());
    lease.getMetadata().setOwnerReferences(patched.getMetadata().getOwnerReferences());
    log.info("owner reference added lease={} node={}", lease.getMetadata().getName(), node.getMetadata().getName());
  }

  private static Optional<OwnerReference> nodeOwner(PrefixLease lease) {
    List<OwnerReference> owners = lease.getMetadata().getOwnerReferences();
    return owners == null ? Optional.empty() : owners.stream()
        .filter(o -> "Node".equals(o.getKind()) && "v1".equals(o.getApiVersion()))
        .findFirst();
  }

  private PolicySelection select(Node node) {
    return PolicySelection.select(node.getMetadata().getName(), node.getMetadata().getLabels(),
        policies.list().toList());
  }

  /** Leases to reconcile when a policy changes: those it selects now and those it governed before. */
  private Set<ResourceID> leasesConcerning(DelegationPolicy policy) {
    Set<ResourceID> ids = new HashSet<>();
    for (PrefixLease lease : leases.byIndex(BY_POLICY, policy.getMetadata().getName())) {
      ids.add(ResourceID.fromResource(lease));
    }
    if (nodes.isRunning()) {
      nodes.list()
          .filter(node -> LabelSelectors.matches(policy.getSpec().getNodeSelector(), node.getMetadata().getLabels()))
          .forEach(node -> ids.addAll(leaseIds(node.getMetadata().getName())));
    }
    return ids;
  }

  private Set<ResourceID> leaseIds(String nodeName) {
    Set<ResourceID> ids = new HashSet<>();
    for (PrefixLease lease : leases.byIndex(BY_NODE, nodeName)) {
      ids.add(ResourceID.fromResource(lease));
    }
    return ids;
  }

  private void wakeNode(String nodeName) {
    leaseIds(nodeName).forEach(id -> relations.wake(id.getName()));
  }

  private ReentrantLock lockFor(String nodeName) {
    return nodeLocks[Math.floorMod(nodeName.hashCode(), LOCK_STRIPES)];
  }

  /**
   * Writes the status as a JSON merge patch of the status subresource, with explicit nulls for fields that are gone.
   * Cheaper for the API server than a server-side apply (no managed-fields bookkeeping), and safe without a
   * resourceVersion: the leader is the status's only writer. The controller's cache learns the result at once.
   * Patched through the cached object rather than by name: fabric8 GETs an object it patches by name first.
   */
  private void writeStatus(PrefixLease lease, PrefixLeaseStatus status, Context<PrefixLease> context) {
    PrefixLease original = Serialization.clone(lease);
    String patch = STATUS_PATCH.valueToTree(Map.of("status", status)).toString();
    PrefixLease updated = client.resource(lease).subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    context.eventSourceRetriever().getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(lease), updated, original);
  }

  @JsonInclude(JsonInclude.Include.ALWAYS)
  private interface EveryField {}

  private static boolean sameStatus(PrefixLeaseStatus a, PrefixLeaseStatus b) {
    if (a == null || b == null) {
      return a == b;
    }
    var mapper = Serialization.jsonMapper();
    return mapper.valueToTree(a).equals(mapper.valueToTree(b));
  }

  /** Stops what the reconciler started besides its event sources. */
  public void close() {
    calico.close();
  }
}
