package io.kubepd.agent.transport;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one uplink's transport: datagrams received, delivered, sent and dropped (by reason). */
public final class TransportMetrics {

    private final LongAdder received = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder sendFailures = new LongAdder();
    private final Map<String, LongAdder> dropped = new ConcurrentHashMap<>();

    void received() {
        received.increment();
    }

    void delivered() {
        delivered.increment();
    }

    void sent() {
        sent.increment();
    }

    void sendFailed() {
        sendFailures.increment();
    }

    void dropped(String reason) {
        dropped.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    public long receivedCount() {
        return received.sum();
    }

    public long deliveredCount() {
        return delivered.sum();
    }

    public long sentCount() {
        return sent.sum();
    }

    public long sendFailureCount() {
        return sendFailures.sum();
    }

    /** Datagrams dropped before the state machine, by reason (e.g. {@code malformed: truncated option}). */
    public Map<String, Long> droppedByReason() {
        Map<String, Long> snapshot = new TreeMap<>();
        dropped.forEach((reason, count) -> snapshot.put(reason, count.sum()));
        return snapshot;
    }
}
