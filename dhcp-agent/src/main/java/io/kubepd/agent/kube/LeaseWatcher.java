package io.kubepd.agent.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubepd.crd.v1alpha1.PrefixLease;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches this node's PrefixLeases and passes all of them on after every change, so the route plan can follow the
 * operator. The informer keeps its cache while the API server is away: no event, no change to the routes. When the
 * API server is unreachable at start, it keeps trying.
 */
public final class LeaseWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaseWatcher.class);
    private static final long RETRY_SECONDS = 5;

    private final KubernetesClient client;
    private final String nodeName;
    private final Consumer<List<PrefixLease>> onChange;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "lease-watcher-retry");
        thread.setDaemon(true);
        return thread;
    });
    private volatile SharedIndexInformer<PrefixLease> informer;
    private volatile boolean closed;

    public LeaseWatcher(KubernetesClient client, String nodeName, Consumer<List<PrefixLease>> onChange) {
        this.client = client;
        this.nodeName = nodeName;
        this.onChange = onChange;
    }

    /** Starts watching; does not wait for the API server, so a node can boot while the control plane is down. */
    public void start() {
        if (closed) {
            return;
        }
        SharedIndexInformer<PrefixLease> created = client.resources(PrefixLease.class)
                .withLabel(PrefixLease.NODE_LABEL, nodeName)
                .runnableInformer(0);
        created.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(PrefixLease lease) {
                onChange.accept(leases());
            }

            @Override
            public void onUpdate(PrefixLease before, PrefixLease after) {
                onChange.accept(leases());
            }

            @Override
            public void onDelete(PrefixLease lease, boolean finalStateUnknown) {
                onChange.accept(leases());
            }
        });
        informer = created;
        created.start().whenComplete((ignored, error) -> {
            if (error != null) {
                log.warn("cannot list this node's PrefixLeases ({}); routes stay as they are, retrying in {} s",
                        error.getMessage(), RETRY_SECONDS);
                created.close();
                retries.schedule(this::start, RETRY_SECONDS, TimeUnit.SECONDS);
            } else {
                onChange.accept(leases());
            }
        });
    }

    /** True once the leases were listed from the API server at least once. */
    public boolean hasSynced() {
        SharedIndexInformer<PrefixLease> current = informer;
        return current != null && current.hasSynced();
    }

    /** The leases as last seen. */
    public List<PrefixLease> leases() {
        SharedIndexInformer<PrefixLease> current = informer;
        return current == null ? List.of() : current.getStore().list();
    }

    @Override
    public void close() {
        closed = true;
        retries.shutdownNow();
        SharedIndexInformer<PrefixLease> current = informer;
        if (current != null) {
            current.close();
        }
    }
}
