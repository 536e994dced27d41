package io.kubepd.testkit.lab;

/**
 * A prefix a server has delegated and still holds for a client, as read from the server's own lease database.
 *
 * @param duid the client's DUID as lower-case colon-separated hex
 */
public record DelegatedPrefixLease(
    Ipv6Prefix prefix, String duid, long iaid, long preferredLifetimeSeconds, long validLifetimeSeconds) {}
