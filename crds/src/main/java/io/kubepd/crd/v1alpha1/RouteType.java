package io.kubepd.crd.v1alpha1;

/** Kinds of route the agent programs on a node. */
public enum RouteType {
  /** {@code ip -6 route add local <prefix> dev lo}: the node answers on every address of the prefix (AnyIP). */
  Local,
  /** {@code ip -6 route add unreachable <prefix>}: parts of the delegated prefix in no use are not looped upstream. */
  Unreachable
}
