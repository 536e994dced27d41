package io.kubepd.crd.v1alpha1;

/** The DHCPv6 client state of one IA_PD, as the agent reports it (RFC 8415 section 18). */
public enum DhcpState {
  Soliciting,
  Requesting,
  Bound,
  Renewing,
  Rebinding,
  Expired,
  Released
}
