package io.kubepd.agent.client;

/** Why the client discarded a received message; each reason has its own counter. */
public enum DropReason {
    /** The client is not started, or already stopped. */
    NOT_RUNNING,
    /** A message type a client never accepts, or one not expected in the current state. */
    UNEXPECTED_TYPE,
    MISSING_CLIENT_ID,
    /** The Client Identifier holds another client's DUID. */
    WRONG_CLIENT_ID,
    MISSING_SERVER_ID,
    /** No exchange in progress uses this transaction id. */
    WRONG_TRANSACTION_ID,
    /** A Reply from a server other than the one the client is talking to. */
    SERVER_NOT_SELECTED,
    /** A Reply to Solicit without Rapid Commit, or when the client did not offer it. */
    NO_RAPID_COMMIT,
    /** An Advertise or Reply with nothing the client can use (e.g. NoPrefixAvail). */
    NO_USABLE_PREFIX,
    /** A Reply with UnspecFail or UseMulticast: the exchange goes on retransmitting. */
    SERVER_FAILURE,
    /** A Reconfigure lacking its Reconfigure Message option, or asking for something unsupported. */
    INVALID_RECONFIGURE,
    /** A Reconfigure whose RKAP authentication is missing, wrong or replayed. */
    UNAUTHENTICATED_RECONFIGURE,
    /** A Reconfigure while another exchange is in progress (RFC 8415 §18.2.11). */
    RECONFIGURE_DURING_EXCHANGE
}
