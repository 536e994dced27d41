package io.kubepd.agent.client;

import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Objects;

/**
 * One delegated prefix as the client holds it: an immutable record of plain values so that it can
 * be persisted as JSON and handed back to {@link Dhcp6Client#start(java.util.Collection)}.
 *
 * @param iaid the IA_PD's identity association id
 * @param prefix the prefix address in RFC 5952 text, e.g. {@code 2001:db8:1:100::}
 * @param preferredLifetime seconds from {@code renewedAt}; {@link #INFINITE} for ever
 * @param validLifetime seconds from {@code renewedAt}; {@link #INFINITE} for ever
 * @param t1 seconds from {@code renewedAt} to Renew, as the client applies it; {@link #INFINITE} for never
 * @param t2 seconds from {@code renewedAt} to Rebind, as the client applies it; {@link #INFINITE} for never
 * @param serverDuid DUID of the server that last extended the lease, colon-separated hex
 * @param obtainedAt when the prefix was first delegated to this client
 * @param renewedAt when the Reply that last set the lifetimes arrived
 * @param expiresAt end of the valid lifetime; {@code null} when it is infinite
 */
public record Lease(
        long iaid,
        String prefix,
        int prefixLength,
        long preferredLifetime,
        long validLifetime,
        long t1,
        long t2,
        String serverDuid,
        Instant obtainedAt,
        Instant renewedAt,
        Instant expiresAt,
        State state) {

    /** The all-ones lifetime that means infinity (RFC 8415 §7.7). */
    public static final long INFINITE = 0xffff_ffffL;

    /** Where the lease stands. */
    public enum State {
        /** Delegated and renewed by the client. */
        ACTIVE,
        /** No longer renewed (renumbered away), usable until {@code expiresAt}. */
        DRAINING,
        /** Valid lifetime over. */
        EXPIRED,
        /** Ended by the server, or dropped by the client to start over. */
        WITHDRAWN,
        /** Released by the client. */
        RELEASED
    }

    public Lease {
        byte[] address = NetUtil.createByteArrayFromIpAddressString(Objects.requireNonNull(prefix, "prefix"));
        if (address == null || address.length != 16) {
            throw new IllegalArgumentException("prefix \"" + prefix + "\" is not an IPv6 address");
        }
        prefix = NetUtil.bytesToIpAddress(address);
        if (prefixLength < 0 || prefixLength > 128) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " outside 0..128");
        }
        Objects.requireNonNull(serverDuid, "serverDuid");
        Objects.requireNonNull(obtainedAt, "obtainedAt");
        Objects.requireNonNull(renewedAt, "renewedAt");
        Objects.requireNonNull(state, "state");
        if ((validLifetime == INFINITE) != (expiresAt == null)) {
            throw new IllegalArgumentException("expiresAt must be null exactly when the valid lifetime is infinite");
        }
    }

    /** The prefix as an address. */
    public Inet6Address prefixAddress() {
        try {
            return Inet6Address.getByAddress(null, NetUtil.createByteArrayFromIpAddressString(prefix), -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("validated in the constructor", e);
        }
    }

    /** The prefix in CIDR notation, e.g. {@code 2001:db8:1:100::/56}. */
    public String cidr() {
        return prefix + "/" + prefixLength;
    }

    /** This lease with another state. */
    public Lease withState(State newState) {
        return new Lease(iaid, prefix, prefixLength, preferredLifetime, validLifetime, t1, t2, serverDuid,
                obtainedAt, renewedAt, expiresAt, newState);
    }
}
