package io.kubepd.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorsTest {
  private static final Map<String, String> LABELS = Map.of("zone", "a", "role", "edge");

  private static LabelSelector expression(String key, String operator, String... values) {
    return new LabelSelectorBuilder().withMatchExpressions(new LabelSelectorRequirementBuilder()
        .withKey(key).withOperator(operator).withValues(values).build()).build();
  }

  @Test
  void emptySelectorsSelectEverything() {
    assertThat(LabelSelectors.matches(null, LABELS)).isTrue();
    assertThat(LabelSelectors.matches(new LabelSelector(), null)).isTrue();
  }

  @Test
  void matchLabelsNeedEveryPair() {
    assertThat(LabelSelectors.matches(new LabelSelectorBuilder().withMatchLabels(Map.of("zone", "a")).build(),
        LABELS)).isTrue();
    assertThat(LabelSelectors.matches(new LabelSelectorBuilder()
        .withMatchLabels(Map.of("zone", "a", "role", "core")).build(), LABELS)).isFalse();
    assertThat(LabelSelectors.matches(new LabelSelectorBuilder().withMatchLabels(Map.of("zone", "a")).build(),
        null)).isFalse();
  }

  @Test
  void expressionsFollowTheApiServer() {
    assertThat(LabelSelectors.matches(expression("zone", "In", "a", "b"), LABELS)).isTrue();
    assertThat(LabelSelectors.matches(expression("zone", "In", "b"), LABELS)).isFalse();
    assertThat(LabelSelectors.matches(expression("zone", "NotIn", "b"), LABELS)).isTrue();
    assertThat(LabelSelectors.matches(expression("rack", "NotIn", "b"), LABELS)).isTrue();
    assertThat(LabelSelectors.matches(expression("zone", "Exists"), LABELS)).isTrue();
    assertThat(LabelSelectors.matches(expression("rack", "Exists"), LABELS)).isFalse();
    assertThat(LabelSelectors.matches(expression("rack", "DoesNotExist"), LABELS)).isTrue();
    assertThat(LabelSelectors.matches(expression("zone", "Equals", "a"), LABELS)).isFalse();
  }

  @Test
  void saysWhatIsWrongWithASelector() {
    assertThat(LabelSelectors.problems(expression("zone", "Equals", "a")))
        .containsExactly("nodeSelector operator \"Equals\" on key zone is not In, NotIn, Exists or DoesNotExist");
    assertThat(LabelSelectors.problems(expression("zone", "In")))
        .containsExactly("nodeSelector operator In on key zone needs values");
    assertThat(LabelSelectors.problems(expression("zone", "Exists", "a")))
        .containsExactly("nodeSelector operator Exists on key zone takes no values");
    assertThat(LabelSelectors.problems(expression("zone", "In", "a"))).isEmpty();
    assertThat(LabelSelectors.problems(null)).isEmpty();
  }
}
