package io.kubepd.agent.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Virtual time for tests: a {@link Clock} and {@link Scheduler} whose time moves only through
 * {@link #advance(Duration)}, which runs due timers in order of due time, then of scheduling.
 */
public final class VirtualScheduler implements Clock, Scheduler {
    /** Monotonic time starts far from zero so that code relying on absolute values shows up. */
    private static final long START_NANOS = 1_000_000_000_000L;

    private final Instant wallStart;
    private final PriorityQueue<Task> queue =
            new PriorityQueue<>(Comparator.comparingLong(Task::due).thenComparingLong(Task::sequence));
    private long nanos = START_NANOS;
    private long sequence;

    private record Task(String name, long due, long sequence, Runnable action) {
    }

    public VirtualScheduler(Instant wallStart) {
        this.wallStart = wallStart;
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public Instant now() {
        return wallStart.plusNanos(nanos - START_NANOS);
    }

    /** Time elapsed since the scheduler was created. */
    public Duration elapsed() {
        return Duration.ofNanos(nanos - START_NANOS);
    }

    @Override
    public Timer schedule(String name, Duration delay, Runnable action) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay " + delay + " for " + name);
        }
        Task task = new Task(name, nanos + delay.toNanos(), sequence++, action);
        queue.add(task);
        return () -> queue.remove(task);
    }

    /** Moves time forward by {@code duration}, running every timer that falls due on the way. */
    public void advance(Duration duration) {
        long target = nanos + duration.toNanos();
        while (!queue.isEmpty() && queue.peek().due() <= target) {
            Task task = queue.poll();
            nanos = task.due();
            task.action().run();
        }
        nanos = target;
    }

    /** Names of the pending timers, soonest first. */
    public List<String> pending() {
        List<Task> tasks = new ArrayList<>(queue);
        tasks.sort(queue.comparator());
        return tasks.stream().map(Task::name).toList();
    }

    /** Time until the named timer fires. */
    public Duration untilDue(String name) {
        return queue.stream().filter(task -> task.name().equals(name)).findFirst()
                .map(task -> Duration.ofNanos(task.due() - nanos))
                .orElseThrow(() -> new AssertionError("no pending timer " + name + " in " + pending()));
    }
}
