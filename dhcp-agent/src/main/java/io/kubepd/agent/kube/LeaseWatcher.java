package io.kubepd.agent.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubepd.crd.v1alpha1.PrefixLease;
import java.util.List;
import java.util.function.Consumer;

/**
 * Watches this node's PrefixLeases and passes all of them on after every change, so the route plan can follow the
 * operator. The informer keeps its cache while the API server is away: no event, no change to the routes.
 */
public final class LeaseWatcher implements AutoCloseable {
    private final SharedIndexInformer<PrefixLease> informer;

    public LeaseWatcher(KubernetesClient client, String nodeName, Consumer<List<PrefixLease>> onChange) {
        this.informer = client.resources(PrefixLease.class)
                .withLabel(PrefixLease.NODE_LABEL, nodeName)
                .runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(PrefixLease lease) {
                onChange.accept(informer.getStore().list());
            }

            @Override
            public void onUpdate(PrefixLease before, PrefixLease after) {
                onChange.accept(informer.getStore().list());
            }

            @Override
            public void onDelete(PrefixLease lease, boolean finalStateUnknown) {
                onChange.accept(informer.getStore().list());
            }
        });
    }

    /** Starts watching; does not wait for the API server, so a node can boot while the control plane is down. */
    public void start() {
        informer.start();
    }

    /** The leases as last seen. */
    public List<PrefixLease> leases() {
        return informer.getStore().list();
    }

    @Override
    public void close() {
        informer.close();
    }
}
