package io.kubepd.agent.client;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * One client-initiated message exchange and its retransmission, exactly as RFC 8415 §15 specifies:
 * RT = IRT + RAND*IRT, then RT = 2*RTprev + RAND*RTprev capped to MRT + RAND*MRT, until MRC
 * transmissions or the MRD deadline. All timing runs on the one "transmit" timer.
 *
 * <p>RT runs from the moment a message is written to the socket, not from the moment it is handed
 * to the transport: a cold first send can take a second to leave, and the Advertises a Solicit
 * collects must have a full first RT on the wire (§18.2.1).
 */
final class Exchange {
    /** A deadline that never comes. */
    static final long NO_DEADLINE = Long.MAX_VALUE;
    private static final String TIMER = "transmit";
    private static final long NANOS_PER_CENTISECOND = 10_000_000L;

    private final Retransmission parameters;
    private final int transactionId;
    private final Clock clock;
    private final RandomGenerator random;
    private final NamedTimers timers;
    private final long deadline;
    private final Transmitter transmit;
    private final BooleanSupplier concludeInsteadOfRetransmitting;
    private final Runnable failed;
    private Duration maxTimeout;
    private long firstTransmission;
    private int transmissions;
    private double timeoutSeconds;
    private boolean cancelled;

    /** Sends one transmission of the exchange's message. */
    @FunctionalInterface
    interface Transmitter {
        /**
         * @param elapsedCentiseconds the Elapsed Time option's value
         * @param written to run, on the client's thread, once the datagram is written (or could not be)
         */
        void transmit(int elapsedCentiseconds, Runnable written);
    }

    /**
     * @param deadline monotonic nanos at which the exchange fails (MRD), or {@link #NO_DEADLINE}
     * @param transmit sends the message and reports when it is written
     * @param concludeInsteadOfRetransmitting asked when RT expires; true ends the exchange (Solicit
     *     uses it to act on the Advertises collected during the first RT)
     * @param failed called when MRC or MRD is reached
     */
    Exchange(Retransmission parameters, int transactionId, Clock clock, RandomGenerator random, NamedTimers timers,
            long deadline, Transmitter transmit, BooleanSupplier concludeInsteadOfRetransmitting, Runnable failed) {
        this.parameters = parameters;
        this.transactionId = transactionId;
        this.clock = clock;
        this.random = random;
        this.timers = timers;
        this.deadline = deadline;
        this.transmit = transmit;
        this.concludeInsteadOfRetransmitting = concludeInsteadOfRetransmitting;
        this.failed = failed;
        this.maxTimeout = parameters.maxTimeout;
    }

    /** Sends the first message after {@code delay} (zero: now). */
    void start(Duration delay) {
        if (delay.isZero()) {
            transmit();
        } else {
            timers.start(TIMER, delay, this::transmit);
        }
    }

    void cancel() {
        cancelled = true;
        timers.cancel(TIMER);
    }

    /** Sends again now (e.g. after UseMulticast), keeping the retransmission schedule's state. */
    void transmitNow() {
        timers.cancel(TIMER);
        transmit();
    }

    /** Replaces MRT, as a SOL_MAX_RT option does for Solicit (RFC 8415 §21.24). */
    void maxTimeout(Duration mrt) {
        maxTimeout = mrt;
    }

    int transactionId() {
        return transactionId;
    }

    Retransmission parameters() {
        return parameters;
    }

    int transmissions() {
        return transmissions;
    }

    private void transmit() {
        long now = clock.nanoTime();
        if (transmissions == 0) {
            firstTransmission = now;
        }
        int transmission = ++transmissions;
        long elapsed = (now - firstTransmission) / NANOS_PER_CENTISECOND;
        transmit.transmit((int) Math.min(elapsed, 0xffff), () -> written(transmission));
    }

    /** Starts the RT of a transmission once it is on the wire, unless the exchange moved on meanwhile. */
    private void written(int transmission) {
        if (cancelled || transmission != transmissions) {
            return;
        }
        long now = clock.nanoTime();
        timeoutSeconds = transmission == 1 ? firstTimeout() : nextTimeout(timeoutSeconds);
        long wait = Math.round(timeoutSeconds * 1e9);
        // After the last allowed transmission the exchange still waits one RT for an answer.
        boolean last = parameters.maxTransmissions != 0 && transmission >= parameters.maxTransmissions;
        if (deadline != NO_DEADLINE && deadline - now <= wait) {
            wait = deadline - now;
            last = true;
        }
        timers.start(TIMER, Duration.ofNanos(wait), last ? failed : this::timedOut);
    }

    private void timedOut() {
        if (!concludeInsteadOfRetransmitting.getAsBoolean()) {
            transmit();
        }
    }

    private double firstTimeout() {
        double irt = seconds(parameters.initialTimeout);
        // §18.2.1: the first Solicit RT must be strictly greater than IRT, so RAND is in (0, 0.1].
        double rand = parameters == Retransmission.SOLICIT
                ? Retransmission.RAND_BOUND - random.nextDouble(0, Retransmission.RAND_BOUND)
                : rand();
        return irt + rand * irt;
    }

    private double nextTimeout(double previous) {
        double rand = rand();
        double rt = 2 * previous + rand * previous;
        double mrt = seconds(maxTimeout);
        if (mrt != 0 && rt > mrt) {
            rt = mrt + rand * mrt;
        }
        return rt;
    }

    private double rand() {
        return random.nextDouble(-Retransmission.RAND_BOUND, Retransmission.RAND_BOUND);
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
