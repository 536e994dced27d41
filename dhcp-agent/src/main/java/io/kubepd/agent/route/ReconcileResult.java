package io.kubepd.agent.route;

import java.util.List;

/**
 * What one reconcile did to the node's routes.
 *
 * @param expired planned routes dropped because their {@code expiresAt} passed
 * @param failures changes that failed and planned routes that were rejected, each with the reason
 */
public record ReconcileResult(int added, int replaced, int removed, int unchanged, int expired,
    List<RouteFailure> failures) {

  public ReconcileResult {
    failures = List.copyOf(failures);
  }

  public int failed() {
    return failures.size();
  }

  /** True when the routes now match the plan. */
  public boolean ok() {
    return failures.isEmpty();
  }

  /** True when the reconcile changed no route. */
  public boolean noop() {
    return added == 0 && replaced == 0 && removed == 0;
  }

  @Override
  public String toString() {
    return "added " + added + ", replaced " + replaced + ", removed " + removed + ", unchanged " + unchanged
        + ", expired " + expired + ", failed " + failed() + (failures.isEmpty() ? "" : " " + failures);
  }
}
