package io.kubepd.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds a status's conditions from the desired ones, keeping {@code lastTransitionTime} of every condition whose
 * status did not change, so that "since when" stays true across reconciliations and restarts.
 */
public final class ConditionSet {
  private ConditionSet() {}

  /** One condition as the operator wants it now. */
  public record Desired(String type, String status, String reason, String message) {
    public Desired {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }
  }

  /** The desired conditions in the given order, stamped with {@code generation} and transition times. */
  public static List<Condition> merge(List<Condition> previous, List<Desired> desired, Long generation, Instant now) {
    List<Condition> merged = new ArrayList<>(desired.size());
    for (Desired want : desired) {
      String since = previous == null ? null : previous.stream()
          .filter(c -> want.type().equals(c.getType()) && want.status().equals(c.getStatus()))
          .map(Condition::getLastTransitionTime)
          .filter(Objects::nonNull)
          .findFirst()
          .orElse(null);
      merged.add(new ConditionBuilder()
          .withType(want.type())
          .withStatus(want.status())
          .withReason(want.reason())
          .withMessage(want.message())
          .withObservedGeneration(generation)
          .withLastTransitionTime(since != null ? since : Timestamps.format(Timestamps.condition(now)))
          .build());
    }
    return merged;
  }

  /** The condition of a type in a list, if present. */
  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
