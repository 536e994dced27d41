package io.kubepd.agent.identity;

/** Which DUID type (RFC 8415 §11) the agent generates on its first start. */
public enum DuidKind {
    /** DUID-LL (type 3): link-layer address of the first uplink; stable as long as the NIC is. */
    LL,
    /** DUID-UUID (type 4, RFC 6355): random UUID; for uplinks without a usable hardware address. */
    UUID
}
