package io.kubepd.operator.reconciler;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Matches label selectors (matchLabels and matchExpressions) against labels, as the API server does. */
public final class LabelSelectors {
  private static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

  private LabelSelectors() {}

  /** Whether {@code labels} satisfy the selector; a null or empty selector selects everything. */
  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return true;
    }
    Map<String, String> actual = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> want : selector.getMatchLabels().entrySet()) {
        if (!want.getValue().equals(actual.get(want.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
        if (!matches(requirement, actual)) {
          return false;
        }
      }
    }
    return true;
  }

  /** What is wrong with a selector, in words a user can act on; empty when it is valid. */
  public static List<String> problems(LabelSelector selector) {
    List<String> problems = new ArrayList<>();
    if (selector == null || selector.getMatchExpressions() == null) {
      return problems;
    }
    for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
      String operator = requirement.getOperator();
      List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
      if (!OPERATORS.contains(operator)) {
        problems.add("nodeSelector operator \"" + operator + "\" on key " + requirement.getKey()
            + " is not In, NotIn, Exists or DoesNotExist");
      } else if ((operator.equals("In") || operator.equals("NotIn")) && values.isEmpty()) {
        problems.add("nodeSelector operator " + operator + " on key " + requirement.getKey() + " needs values");
      } else if ((operator.equals("Exists") || operator.equals("DoesNotExist")) && !values.isEmpty()) {
        problems.add("nodeSelector operator " + operator + " on key " + requirement.getKey() + " takes no values");
      }
    }
    return problems;
  }

  private static boolean matches(LabelSelectorRequirement requirement, Map<String, String> labels) {
    String value = labels.get(requirement.getKey());
    List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
    return switch (requirement.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      // An operator the API server would refuse selects nothing; the policy's Valid condition says why.
      default -> false;
    };
  }
}
