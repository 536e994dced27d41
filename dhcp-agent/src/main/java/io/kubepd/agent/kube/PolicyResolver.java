package io.kubepd.agent.kube;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Node;
import io.kubepd.crd.v1alpha1.DelegationPolicy;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the DelegationPolicy that governs a node: the first, oldest then by name, whose node selector matches the
 * node's labels (an absent or empty selector matches every node) — the operator's rule. The agent may read only its
 * own Node, so the selector is evaluated here with Kubernetes' label-selector semantics.
 */
public final class PolicyResolver {
    /** The order in which policies win: oldest first, then by name. */
    public static final Comparator<DelegationPolicy> PRECEDENCE = Comparator
            .comparing((DelegationPolicy p) -> p.getMetadata().getCreationTimestamp())
            .thenComparing(p -> p.getMetadata().getName());

    private PolicyResolver() {}

    /** The policy for this node, or empty when none selects it. */
    public static Optional<DelegationPolicy> resolve(Node node, List<DelegationPolicy> policies) {
        Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
        return policies.stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .sorted(PRECEDENCE)
                .filter(p -> matches(p.getSpec().getNodeSelector(), labels))
                .findFirst();
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        if (selector.getMatchLabels() != null
                && !selector.getMatchLabels().entrySet().stream()
                        .allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
            return false;
        }
        return selector.getMatchExpressions() == null
                || selector.getMatchExpressions().stream().allMatch(r -> matches(r, labels));
    }

    private static boolean matches(LabelSelectorRequirement requirement, Map<String, String> labels) {
        String value = labels.get(requirement.getKey());
        List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
        return switch (requirement.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            // The API server rejects other operators; a selector it did not validate matches nothing.
            default -> false;
        };
    }
}
