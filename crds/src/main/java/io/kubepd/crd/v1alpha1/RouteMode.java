package io.kubepd.crd.v1alpha1;

/** Which routes the operator plans for the nodes of a policy. */
public enum RouteMode {
  AnyIP,
  UnreachableOnly,
  None
}
