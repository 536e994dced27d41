package io.kubepd.agent.kube;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubepd.crd.v1alpha1.PrefixLease;
import io.kubepd.crd.v1alpha1.PrefixLeaseSpec;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports the agent's leases as PrefixLease objects with server-side apply, at once and without ever blocking the
 * DHCPv6 client. While the API server is unreachable the latest spec of each lease waits and is applied when it
 * returns; nothing else (the lease, the routes) depends on it.
 */
public final class LeaseReporter {
    /** Field manager of the agent's server-side applies: the agent owns the spec, the operator the status. */
    public static final String FIELD_MANAGER = "kubepd-agent";

    private static final Logger log = LoggerFactory.getLogger(LeaseReporter.class);

    private final KubernetesClient client;
    private final String nodeName;
    private final ScheduledExecutorService executor;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Map<String, PrefixLeaseSpec> pending = new ConcurrentHashMap<>();
    private final AtomicReference<OwnerReference> nodeOwner = new AtomicReference<>();
    private final AtomicInteger failures = new AtomicInteger();
    private boolean flushScheduled;

    public LeaseReporter(KubernetesClient client, String nodeName, ScheduledExecutorService executor,
            Duration initialBackoff, Duration maxBackoff) {
        this.client = client;
        this.nodeName = nodeName;
        this.executor = executor;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** Queues the lease's current spec; the newest spec of a lease replaces any that has not been applied yet. */
    public void report(PrefixLeaseSpec spec) {
        pending.put(LeaseNames.of(nodeName, spec.getInterfaceName(), spec.getIaid()), spec);
        scheduleFlush(Duration.ZERO);
    }

    /** True when every reported spec has reached the API server. */
    public boolean inSync() {
        return pending.isEmpty();
    }

    /** Consecutive failed attempts to reach the API server; 0 when the last attempt worked. */
    public int consecutiveFailures() {
        return failures.get();
    }

    private synchronized void scheduleFlush(Duration delay) {
        if (!flushScheduled) {
            flushScheduled = true;
            executor.schedule(this::flush, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void flush() {
        synchronized (this) {
            flushScheduled = false;
        }
        try {
            OwnerReference owner = owner();
            for (Map.Entry<String, PrefixLeaseSpec> entry : pending.entrySet()) {
                apply(entry.getKey(), entry.getValue(), owner);
                pending.remove(entry.getKey(), entry.getValue());
            }
            int failed = failures.getAndSet(0);
            if (failed > 0) {
                log.info("API server reachable again after {} failed attempts; leases reported", failed);
            }
        } catch (RuntimeException e) {
            int failed = failures.incrementAndGet();
            long delay = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(failed - 1, 16));
            if (failed == 1) {
                log.warn("cannot report leases to the API server ({}); the lease and routes stay as they are, "
                        + "retrying with backoff up to {} s", e.getMessage(), maxBackoff.toSeconds());
            } else {
                log.debug("report attempt {} failed: {}", failed, e.getMessage());
            }
            scheduleFlush(Duration.ofMillis(delay));
            return;
        }
        if (!pending.isEmpty()) {
            scheduleFlush(Duration.ZERO);
        }
    }

    /** The Node as owner, so the lease goes when the Node is deleted; absent until the Node can be read. */
    private OwnerReference owner() {
        OwnerReference owner = nodeOwner.get();
        if (owner == null) {
            var node = client.nodes().withName(nodeName).get();
            if (node == null) {
                log.warn("Node {} not found; reporting leases without an owner reference", nodeName);
                return null;
            }
            owner = new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
                    .withName(nodeName).withUid(node.getMetadata().getUid()).build();
            nodeOwner.set(owner);
        }
        return owner;
    }

    private void apply(String name, PrefixLeaseSpec spec, OwnerReference owner) {
        PrefixLease lease = new PrefixLease();
        ObjectMetaBuilder meta = new ObjectMetaBuilder().withName(name)
                .addToLabels(PrefixLease.NODE_LABEL, nodeName)
                .addToLabels(PrefixLease.INTERFACE_LABEL, spec.getInterfaceName());
        if (owner != null) {
            meta.withOwnerReferences(owner);
        }
        lease.setMetadata(meta.build());
        lease.setSpec(spec);
        lease.setStatus(null);
        client.resource(lease).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        log.debug("reported lease {}: {} {}", name, spec.getDelegatedPrefix(), spec.getDhcpState());
    }
}
