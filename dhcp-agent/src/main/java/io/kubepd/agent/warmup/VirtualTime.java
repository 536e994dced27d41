package io.kubepd.agent.warmup;

import io.kubepd.agent.client.Clock;
import io.kubepd.agent.client.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.PriorityQueue;

/** Time that moves only through {@link #advance}: the warm-up's exchanges take no real time and sleep nowhere. */
final class VirtualTime implements Clock, Scheduler {

    private final Instant wallStart;
    private final PriorityQueue<Task> queue =
            new PriorityQueue<>(Comparator.comparingLong(Task::due).thenComparingLong(Task::sequence));
    private long nanos;
    private long sequence;

    /** A class, not a record: a record's equals (which the queue's remove calls) costs a bootstrap on first use. */
    private static final class Task {
        private final long due;
        private final long sequence;
        private final Runnable action;

        Task(long due, long sequence, Runnable action) {
            this.due = due;
            this.sequence = sequence;
            this.action = action;
        }

        long due() {
            return due;
        }

        long sequence() {
            return sequence;
        }

        Runnable action() {
            return action;
        }
    }

    VirtualTime(Instant wallStart) {
        this.wallStart = wallStart;
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public Instant now() {
        return wallStart.plusNanos(nanos);
    }

    @Override
    public Timer schedule(String name, Duration delay, Runnable action) {
        Task task = new Task(nanos + Math.max(0, delay.toNanos()), sequence++, action);
        queue.add(task);
        return () -> queue.remove(task);
    }

    /** Moves time forward by {@code duration}, running the timers that fall due on the way, in order. */
    void advance(Duration duration) {
        long target = nanos + duration.toNanos();
        while (!queue.isEmpty() && queue.peek().due() <= target) {
            Task task = queue.poll();
            nanos = task.due();
            task.action().run();
        }
        nanos = target;
    }
}
