package io.kubepd.operator.publish;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubepd.operator.allocation.Ipv6Prefix;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Calico IPPool (crd.projectcalico.org/v1) per node and pod CIDR: enabled for the current pod CIDR, disabled for
 * draining ones so that Calico allocates no new addresses there. Pools are labelled with their node and cached by
 * an informer started once the Calico CRD is seen; without the CRD nothing is written.
 */
public final class CalicoIpPools implements AutoCloseable {
  /** The CRD whose presence switches Calico publishing on. */
  public static final String CRD_NAME = "ippools.crd.projectcalico.org";
  /** Label with the node a pool belongs to. */
  public static final String NODE_LABEL = "kubepd.io/node";
  /** Label marking pools this operator owns. */
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "kubepd-operator";

  static final ResourceDefinitionContext IP_POOLS = new ResourceDefinitionContext.Builder()
      .withGroup("crd.projectcalico.org").withVersion("v1").withKind("IPPool").withPlural("ippools")
      .withNamespaced(false).build();

  private static final Logger log = LoggerFactory.getLogger(CalicoIpPools.class);
  private static final String BY_NODE = "byNode";
  private static final int CALICO_DEFAULT_IPV6_BLOCK = 122;

  private final KubernetesClient client;
  private final Clock clock;
  private final Duration recheck;
  private final Consumer<String> poolChangedOnNode;
  private volatile SharedIndexInformer<GenericKubernetesResource> informer;
  private Instant nextCheck = Instant.MIN;

  /** What a sync achieved. */
  public enum Result {
    /** The node's pools match the publication. */
    SYNCED,
    /** The Calico IPPool CRD is not installed; nothing was written. */
    CRD_MISSING
  }

  /**
   * @param recheck how often to look for the CRD again while it is missing
   * @param poolChangedOnNode told the node name when someone else changes or deletes one of our pools
   */
  public CalicoIpPools(KubernetesClient client, Clock clock, Duration recheck, Consumer<String> poolChangedOnNode) {
    this.client = client;
    this.clock = clock;
    this.recheck = recheck;
    this.poolChangedOnNode = poolChangedOnNode;
  }

  /** The pool name for a node and pod CIDR: readable, and a hash when the node name is too long. */
  public static String poolName(String node, Ipv6Prefix cidr) {
    String slug = cidr.toString().replace(':', '-').replace('/', '-');
    String name = "kubepd-" + node + "-" + slug;
    if (name.length() <= 253) {
      return name;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      String hash = HexFormat.of().formatHex(digest, 0, 8);
      return "kubepd-" + node.substring(0, 253 - 8 - slug.length() - 18) + "-" + hash + "-" + slug;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Whether the CRD is installed; looks again at most every {@code recheck} while it is not. */
  public synchronized boolean available() {
    if (informer != null) {
      return true;
    }
    Instant now = clock.instant();
    if (now.isBefore(nextCheck)) {
      return false;
    }
    nextCheck = now.plus(recheck);
    if (client.apiextensions().v1().customResourceDefinitions().withName(CRD_NAME).get() == null) {
      return false;
    }
    startInformer();
    return true;
  }

  /** How long until the CRD is looked for again. */
  public Duration recheck() {
    return recheck;
  }

  /**
   * Makes the node's pools match the publication: one enabled pool for the primary pod CIDR, disabled pools for
   * draining ones, none for anything else (including when Calico publishing is off).
   */
  public Result sync(Node node, NodePublication publication) {
    boolean wanted = publication.targets().isCalicoIPPool();
    if (!available()) {
      return wanted ? Result.CRD_MISSING : Result.SYNCED;
    }
    String nodeName = publication.nodeName();
    Map<String, GenericKubernetesResource> desired = new LinkedHashMap<>();
    if (wanted && publication.primary().isPresent()) {
      NodePublication.Primary primary = publication.primary().get();
      desired.put(poolName(nodeName, primary.podCidr()), pool(node, primary.podCidr(), false));
      for (Ipv6Prefix draining : primary.drainingPodCidrs()) {
        desired.putIfAbsent(poolName(nodeName, draining), pool(node, draining, true));
      }
    }
    List<GenericKubernetesResource> existing = informer.getIndexer().byIndex(BY_NODE, nodeName);
    for (GenericKubernetesResource pool : existing) {
      if (!desired.containsKey(pool.getMetadata().getName())) {
        delete(pool.getMetadata().getName());
      }
    }
    for (GenericKubernetesResource want : desired.values()) {
      GenericKubernetesResource have = existing.stream()
          .filter(p -> p.getMetadata().getName().equals(want.getMetadata().getName())).findFirst().orElse(null);
      if (have == null) {
        create(want);
      } else if (!Objects.equals(have.get("spec"), want.get("spec"))) {
        patchSpec(want);
      }
    }
    return Result.SYNCED;
  }

  /** The names of the pools a publication asks for, for messages. */
  public static List<String> poolNames(NodePublication publication) {
    return publication.primary().map(p -> List.of(poolName(publication.nodeName(), p.podCidr()))).orElse(List.of());
  }

  private GenericKubernetesResource pool(Node node, Ipv6Prefix cidr, boolean disabled) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("cidr", cidr.toString());
    // Calico's IPv6 default block is /122; a pool narrower than that needs blocks as narrow as the pool.
    spec.put("blockSize", Math.max(CALICO_DEFAULT_IPV6_BLOCK, cidr.length()));
    spec.put("nodeSelector", "kubernetes.io/hostname == \"" + node.getMetadata().getName() + "\"");
    spec.put("disabled", disabled);
    spec.put("ipipMode", "Never");
    spec.put("vxlanMode", "Never");
    // Delegated prefixes are globally routed: no NAT.
    spec.put("natOutgoing", false);
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("crd.projectcalico.org/v1")
        .withKind("IPPool")
        .withNewMetadata()
          .withName(poolName(node.getMetadata().getName(), cidr))
          .addToLabels(NODE_LABEL, node.getMetadata().getName())
          .addToLabels(MANAGED_BY_LABEL, MANAGED_BY)
          // Owned by the Node, so the garbage collector removes the pools with it.
          .addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
              .withName(node.getMetadata().getName()).withUid(node.getMetadata().getUid()).build())
        .endMetadata()
        .withAdditionalProperties(Map.of("spec", spec))
        .build();
  }

  private void create(GenericKubernetesResource pool) {
    try {
      client.genericKubernetesResources(IP_POOLS).resource(pool).create();
      log.info("calico pool created pool={} cidr={}", pool.getMetadata().getName(), cidr(pool));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      // Created since the cache was filled: make sure it has the wanted spec.
      patchSpec(pool);
    }
  }

  private void patchSpec(GenericKubernetesResource pool) {
    String patch = Serialization.asJson(Map.of("spec", pool.get("spec")));
    client.resource(pool).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    log.info("calico pool updated pool={} cidr={}", pool.getMetadata().getName(), cidr(pool));
  }

  private void delete(String name) {
    client.genericKubernetesResources(IP_POOLS).withName(name).delete();
    log.info("calico pool deleted pool={}", name);
  }

  private static Object cidr(GenericKubernetesResource pool) {
    return pool.<Object>get("spec", "cidr");
  }

  private void startInformer() {
    informer = client.genericKubernetesResources(IP_POOLS).withLabel(MANAGED_BY_LABEL, MANAGED_BY)
        .runnableInformer(0);
    informer.addIndexers(Map.of(BY_NODE, pool -> {
      String node = pool.getMetadata().getLabels() == null ? null : pool.getMetadata().getLabels().get(NODE_LABEL);
      return node == null ? List.of() : List.of(node);
    }));
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(GenericKubernetesResource pool) {}

      @Override
      public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource pool) {
        if (!Objects.equals(old.get("spec"), pool.get("spec"))) {
          changed(pool);
        }
      }

      @Override
      public void onDelete(GenericKubernetesResource pool, boolean deletedFinalStateUnknown) {
        changed(pool);
      }

      private void changed(GenericKubernetesResource pool) {
        String node = pool.getMetadata().getLabels() == null ? null : pool.getMetadata().getLabels().get(NODE_LABEL);
        if (node != null) {
          poolChangedOnNode.accept(node);
        }
      }
    });
    try {
      informer.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      informer.close();
      informer = null;
      throw new IllegalStateException("cannot list Calico IPPools: " + e.getMessage(), e);
    }
    log.info("calico IPPool CRD found; publishing pools for policies with publish.calicoIPPool");
  }

  @Override
  public synchronized void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
