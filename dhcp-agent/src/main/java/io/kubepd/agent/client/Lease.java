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
 * @param excludedPrefix the part of the prefix the server uses on the uplink's link and the client must not use
 *     (RFC 6603 PD_EXCLUDE), in CIDR notation, e.g. {@code 2001:db8:1:100::/64}; {@code null} when none
 * @param preferredLifetime seconds from {@code renewedAt}; {@link #INFINITE} for ever
 * @param validLifetime seconds from {@code renewedAt}; {@link #INFINITE} for ever
 * @param t1 seconds from {@code renewedAt} to Renew, as the client applies it; {@link #INFINITE} for never
 * @param t2 seconds from {@code renewedAt} to Rebind, as the client applies it; {@link #INFINITE} for never
 * @param serverDuid DUID of the server that last extended the lease, colon-separated hex
 * @param obtainedAt when the prefix was first delegated to this client
 * @param renewedAt when the Reply that last set the lifetimes arrived
 * @param expiresAt end of the valid lifetime; {@code null} when it is infinite
 * @param state where the lease stands
 * @param dns resolvers and search domains of the Reply that last set the lifetimes; {@link DnsConfig#NONE} if none
 */
public record Lease(
        long iaid,
        String prefix,
        int prefixLength,
        String excludedPrefix,
        long preferredLifetime,
        long validLifetime,
        long t1,
        long t2,
        String serverDuid,
        Instant obtainedAt,
        Instant renewedAt,
        Instant expiresAt,
        State state,
        DnsConfig dns) {

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
        if (excludedPrefix != null) {
            excludedPrefix = excludedCidr(excludedPrefix, address, prefixLength);
        }
        Objects.requireNonNull(serverDuid, "serverDuid");
        Objects.requireNonNull(obtainedAt, "obtainedAt");
        Objects.requireNonNull(renewedAt, "renewedAt");
        Objects.requireNonNull(state, "state");
        dns = dns == null ? DnsConfig.NONE : dns;
        if ((validLifetime == INFINITE) != (expiresAt == null)) {
            throw new IllegalArgumentException("expiresAt must be null exactly when the valid lifetime is infinite");
        }
    }

    /** A lease without DNS configuration. */
    public Lease(long iaid, String prefix, int prefixLength, String excludedPrefix, long preferredLifetime,
            long validLifetime, long t1, long t2, String serverDuid, Instant obtainedAt, Instant renewedAt,
            Instant expiresAt, State state) {
        this(iaid, prefix, prefixLength, excludedPrefix, preferredLifetime, validLifetime, t1, t2, serverDuid,
                obtainedAt, renewedAt, expiresAt, state, DnsConfig.NONE);
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
        return new Lease(iaid, prefix, prefixLength, excludedPrefix, preferredLifetime, validLifetime, t1, t2,
                serverDuid, obtainedAt, renewedAt, expiresAt, newState, dns);
    }

    /** {@code cidr} in RFC 5952 text, if it is an IPv6 prefix inside {@code delegated/delegatedLength} and longer. */
    private static String excludedCidr(String cidr, byte[] delegated, int delegatedLength) {
        int slash = cidr.indexOf('/');
        byte[] address = slash < 0 ? null : NetUtil.createByteArrayFromIpAddressString(cidr.substring(0, slash));
        String lengthText = slash < 0 ? "" : cidr.substring(slash + 1);
        if (address == null || address.length != 16 || !lengthText.matches("\\d{1,3}")) {
            throw new IllegalArgumentException("excluded prefix \"" + cidr + "\" is not an IPv6 prefix");
        }
        int length = Integer.parseInt(lengthText);
        if (length <= delegatedLength || length > 128) {
            throw new IllegalArgumentException("excluded prefix " + cidr + " must be longer than /" + delegatedLength
                    + " and at most /128");
        }
        for (int bit = 0; bit < 128; bit++) {
            boolean set = (address[bit / 8] & (0x80 >>> (bit % 8))) != 0;
            boolean delegatedBit = (delegated[bit / 8] & (0x80 >>> (bit % 8))) != 0;
            if (bit < delegatedLength && set != delegatedBit) {
                throw new IllegalArgumentException("excluded prefix " + cidr + " lies outside the delegated prefix");
            }
            if (bit >= length && set) {
                throw new IllegalArgumentException("excluded prefix " + cidr + " has host bits set");
            }
        }
        return NetUtil.bytesToIpAddress(address) + "/" + length;
    }
}
