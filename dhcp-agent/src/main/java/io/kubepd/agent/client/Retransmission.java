package io.kubepd.agent.client;

import io.kubepd.agent.codec.MessageType;
import java.time.Duration;

/**
 * The retransmission parameters of every message the client sends (RFC 8415 §15), with the values
 * of §7.6 and the section that assigns them. MRC counts transmissions; 0 means unbounded.
 */
enum Retransmission {
    /** §18.2.1: IRT SOL_TIMEOUT 1 s, MRT SOL_MAX_RT 3600 s, MRC 0, MRD 0. */
    SOLICIT(MessageType.SOLICIT, Duration.ofSeconds(1), Duration.ofSeconds(3600), 0, MaxDuration.NONE),
    /** §18.2.2: IRT REQ_TIMEOUT 1 s, MRT REQ_MAX_RT 30 s, MRC REQ_MAX_RC 10, MRD 0. */
    REQUEST(MessageType.REQUEST, Duration.ofSeconds(1), Duration.ofSeconds(30), 10, MaxDuration.NONE),
    /** §18.2.4: IRT REN_TIMEOUT 10 s, MRT REN_MAX_RT 600 s, MRC 0, MRD until the earliest T2. */
    RENEW(MessageType.RENEW, Duration.ofSeconds(10), Duration.ofSeconds(600), 0, MaxDuration.UNTIL_EARLIEST_T2),
    /** §18.2.5: IRT REB_TIMEOUT 10 s, MRT REB_MAX_RT 600 s, MRC 0, MRD until every valid lifetime ends. */
    REBIND(MessageType.REBIND, Duration.ofSeconds(10), Duration.ofSeconds(600), 0, MaxDuration.UNTIL_ALL_LEASES_EXPIRE),
    /** §18.2.7: IRT REL_TIMEOUT 1 s, MRT 0, MRC REL_MAX_RC 4, MRD 0. */
    RELEASE(MessageType.RELEASE, Duration.ofSeconds(1), Duration.ZERO, 4, MaxDuration.NONE);

    /** §7.6 SOL_MAX_DELAY: the first Solicit waits a random time up to this (§18.2.1). */
    static final Duration SOL_MAX_DELAY = Duration.ofSeconds(1);
    /** §21.24: a SOL_MAX_RT option outside 60..86400 s is ignored. */
    static final long SOL_MAX_RT_MIN_SECONDS = 60;
    static final long SOL_MAX_RT_MAX_SECONDS = 86_400;
    /** §15: RAND is uniform in -0.1..+0.1. */
    static final double RAND_BOUND = 0.1;

    /** How the maximum retransmission duration (MRD) is set. */
    enum MaxDuration {
        NONE,
        UNTIL_EARLIEST_T2,
        UNTIL_ALL_LEASES_EXPIRE
    }

    final MessageType messageType;
    final Duration initialTimeout;
    final Duration maxTimeout;
    final int maxTransmissions;
    final MaxDuration maxDuration;

    Retransmission(MessageType messageType, Duration irt, Duration mrt, int mrc, MaxDuration mrd) {
        this.messageType = messageType;
        this.initialTimeout = irt;
        this.maxTimeout = mrt;
        this.maxTransmissions = mrc;
        this.maxDuration = mrd;
    }
}
