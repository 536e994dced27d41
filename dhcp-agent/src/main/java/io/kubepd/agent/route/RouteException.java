package io.kubepd.agent.route;

/** The routing table cannot be read or written at all (no iproute2, no permission, no such namespace). */
public class RouteException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RouteException(String message) {
    super(message);
  }

  public RouteException(String message, Throwable cause) {
    super(message, cause);
  }
}
