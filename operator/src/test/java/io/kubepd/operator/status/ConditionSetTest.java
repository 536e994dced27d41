package io.kubepd.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionSetTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00.700Z");
  private static final Instant T1 = Instant.parse("2026-01-01T01:00:00Z");

  @Test
  void keepsTheTransitionTimeWhileTheStatusHolds() {
    List<Condition> first = ConditionSet.merge(null,
        List.of(new ConditionSet.Desired("Ready", "True", "Allocated", "pod CIDR a")), 1L, T0);
    assertThat(first).singleElement().satisfies(c -> {
      assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
      assertThat(c.getObservedGeneration()).isEqualTo(1L);
    });
    List<Condition> second = ConditionSet.merge(first,
        List.of(new ConditionSet.Desired("Ready", "True", "Allocated", "pod CIDR b")), 2L, T1);
    assertThat(second).singleElement().satisfies(c -> {
      assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
      assertThat(c.getMessage()).isEqualTo("pod CIDR b");
      assertThat(c.getObservedGeneration()).isEqualTo(2L);
    });
    List<Condition> third = ConditionSet.merge(second,
        List.of(new ConditionSet.Desired("Ready", "False", "ValidLifetimeEnded", "gone")), 2L, T1);
    assertThat(third).singleElement()
        .satisfies(c -> assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T01:00:00Z"));
  }

  @Test
  void keepsTheDesiredOrderAndFindsByType() {
    List<Condition> conditions = ConditionSet.merge(List.of(), List.of(
        new ConditionSet.Desired("Ready", "True", "A", "a"), new ConditionSet.Desired("Conflict", "False", "B", "b")),
        1L, T0);
    assertThat(conditions).extracting(Condition::getType).containsExactly("Ready", "Conflict");
    assertThat(ConditionSet.find(conditions, "Conflict")).hasValueSatisfying(c -> assertThat(c.getReason())
        .isEqualTo("B"));
    assertThat(ConditionSet.find(null, "Ready")).isEmpty();
  }
}
