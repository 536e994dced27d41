package io.kubepd.agent.client;

import java.util.Objects;

/** A change to one delegated prefix, with the lease as it stands after the change. */
public record LeaseEvent(Type type, Lease lease) {
    /** What happened to the prefix. */
    public enum Type {
        /** A prefix was delegated to an IA that held no other active prefix. */
        BOUND,
        /** A held prefix's lifetimes were extended by a Reply to Renew or Request. */
        RENEWED,
        /** A held prefix's lifetimes were extended by a Reply to Rebind. */
        REBOUND,
        /** A new prefix replaced the IA's previous one (renumbering); the old one is now DRAINING. */
        CHANGED,
        /** A prefix the server no longer renews; it stays usable until its valid lifetime ends. */
        DRAINING,
        /** A prefix's valid lifetime ended: stop using it. */
        EXPIRED,
        /** The server ended a prefix (valid lifetime 0), or the client gave it up to start over. */
        WITHDRAWN,
        /** The client released the prefix on request. */
        RELEASED,
        /** A persisted, unexpired lease was taken back at start-up; the client rebinds it. */
        RESTORED
    }

    public LeaseEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(lease, "lease");
    }
}
