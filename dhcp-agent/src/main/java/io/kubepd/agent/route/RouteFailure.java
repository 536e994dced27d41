package io.kubepd.agent.route;

/**
 * A route the agent could not bring into the planned state, with a message saying why and what to do.
 *
 * @param subject the change that failed, or the planned route that was rejected, as text
 */
public record RouteFailure(String subject, String message) {
  @Override
  public String toString() {
    return subject + ": " + message;
  }
}
