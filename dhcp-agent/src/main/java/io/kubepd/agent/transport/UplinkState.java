package io.kubepd.agent.transport;

import java.net.Inet6Address;

/** What the transport can do with an uplink interface right now. */
public sealed interface UplinkState {

    /** The interface's name, as given with {@code --interface}. */
    String name();

    /** No interface of that name exists in this network namespace. */
    record Missing(String name) implements UplinkState {
    }

    /** The interface exists but has no link-local address a socket could bind to yet. */
    record NotReady(String name, String reason) implements UplinkState {
    }

    /**
     * The interface has a usable link-local address.
     *
     * @param linkLocal the address, with the interface index as scope id
     * @param carrierChanges the kernel's count of carrier flaps, so that a flap between two probes is still seen
     */
    record Ready(String name, int ifindex, Inet6Address linkLocal, long carrierChanges) implements UplinkState {
    }
}
