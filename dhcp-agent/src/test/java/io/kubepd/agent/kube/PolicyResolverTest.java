package io.kubepd.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.kubepd.crd.v1alpha1.DelegationPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyResolverTest {
    private static final Node EDGE = new NodeBuilder().withNewMetadata().withName("edge-1")
            .addToLabels("kubepd.io/uplink", "true").addToLabels("zone", "a").endMetadata().build();

    @Test
    void theOldestMatchingPolicyWins() {
        var newer = policy("newer", "2026-11-02T00:00:00Z", null);
        var older = policy("older", "2026-11-01T00:00:00Z", null);

        assertThat(PolicyResolver.resolve(EDGE, List.of(newer, older))).get()
                .extracting(p -> p.getMetadata().getName()).isEqualTo("older");
    }

    @Test
    void equalAgesFallBackToTheName() {
        var b = policy("b", "2026-11-01T00:00:00Z", null);
        var a = policy("a", "2026-11-01T00:00:00Z", null);

        assertThat(PolicyResolver.resolve(EDGE, List.of(b, a))).get()
                .extracting(p -> p.getMetadata().getName()).isEqualTo("a");
    }

    @Test
    void skipsPoliciesThatDoNotSelectTheNode() {
        var other = policy("other", "2026-11-01T00:00:00Z",
                new LabelSelectorBuilder().addToMatchLabels("zone", "b").build());
        var mine = policy("mine", "2026-11-05T00:00:00Z",
                new LabelSelectorBuilder().addToMatchLabels("kubepd.io/uplink", "true").build());

        assertThat(PolicyResolver.resolve(EDGE, List.of(other, mine))).get()
                .extracting(p -> p.getMetadata().getName()).isEqualTo("mine");
        assertThat(PolicyResolver.resolve(EDGE, List.of(other))).isEmpty();
    }

    @Test
    void evaluatesMatchExpressionsLikeKubernetes() {
        Map<String, String> labels = EDGE.getMetadata().getLabels();

        assertThat(PolicyResolver.matches(expression("zone", "In", "a", "c"), labels)).isTrue();
        assertThat(PolicyResolver.matches(expression("zone", "In", "b"), labels)).isFalse();
        assertThat(PolicyResolver.matches(expression("zone", "NotIn", "b"), labels)).isTrue();
        assertThat(PolicyResolver.matches(expression("rack", "NotIn", "b"), labels)).isTrue();
        assertThat(PolicyResolver.matches(expression("zone", "Exists"), labels)).isTrue();
        assertThat(PolicyResolver.matches(expression("rack", "Exists"), labels)).isFalse();
        assertThat(PolicyResolver.matches(expression("rack", "DoesNotExist"), labels)).isTrue();
        assertThat(PolicyResolver.matches(new LabelSelector(), labels)).as("empty selector").isTrue();
        assertThat(PolicyResolver.matches(null, labels)).as("absent selector").isTrue();
    }

    @Test
    void ignoresAPolicyBeingDeleted() {
        var leaving = policy("leaving", "2026-11-01T00:00:00Z", null);
        leaving.getMetadata().setDeletionTimestamp("2026-11-27T00:00:00Z");
        var staying = policy("staying", "2026-11-03T00:00:00Z", null);

        assertThat(PolicyResolver.resolve(EDGE, List.of(leaving, staying))).get()
                .extracting(p -> p.getMetadata().getName()).isEqualTo("staying");
    }

    private static LabelSelector expression(String key, String operator, String... values) {
        return new LabelSelectorBuilder().addNewMatchExpression().withKey(key).withOperator(operator)
                .withValues(values).endMatchExpression().build();
    }

    private static DelegationPolicy policy(String name, String created, LabelSelector selector) {
        DelegationPolicy policy = new DelegationPolicy();
        policy.setMetadata(new ObjectMetaBuilder().withName(name).withCreationTimestamp(created).build());
        policy.getSpec().setNodeSelector(selector);
        return policy;
    }
}
