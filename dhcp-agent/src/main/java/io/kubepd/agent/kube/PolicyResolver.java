package io.kubepd.agent.kube;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubepd.crd.v1alpha1.DelegationPolicy;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Finds the DelegationPolicy that governs this node. The API server evaluates each policy's node selector (a Node
 * list with the selector and this node's name), so agent and operator cannot disagree on what a selector means; when
 * several policies select the node, the oldest wins, then the lowest name — the operator's rule.
 */
public final class PolicyResolver {
    /** The order in which policies win: oldest first, then by name. */
    public static final Comparator<DelegationPolicy> PRECEDENCE = Comparator
            .comparing((DelegationPolicy p) -> p.getMetadata().getCreationTimestamp())
            .thenComparing(p -> p.getMetadata().getName());

    private final KubernetesClient client;
    private final String nodeName;

    public PolicyResolver(KubernetesClient client, String nodeName) {
        this.client = client;
        this.nodeName = nodeName;
    }

    /** The policy for this node, or empty when none selects it. */
    public Optional<DelegationPolicy> resolve(List<DelegationPolicy> policies) {
        return policies.stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .sorted(PRECEDENCE)
                .filter(this::selectsThisNode)
                .findFirst();
    }

    private boolean selectsThisNode(DelegationPolicy policy) {
        LabelSelector selector = policy.getSpec().getNodeSelector();
        var nodes = client.nodes().withField("metadata.name", nodeName);
        if (selector != null) {
            return !nodes.withLabelSelector(selector).list().getItems().isEmpty();
        }
        return !nodes.list().getItems().isEmpty();
    }
}
