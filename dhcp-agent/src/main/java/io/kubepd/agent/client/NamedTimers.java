package io.kubepd.agent.client;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The client's timers by name: starting one replaces a pending timer of the same name. */
final class NamedTimers {
    private final Scheduler scheduler;
    private final String prefix;
    private final Map<String, Scheduler.Timer> pending = new HashMap<>();

    NamedTimers(Scheduler scheduler, String prefix) {
        this.scheduler = scheduler;
        this.prefix = prefix;
    }

    void start(String name, Duration delay, Runnable task) {
        cancel(name);
        Duration nonNegative = delay.isNegative() ? Duration.ZERO : delay;
        pending.put(name, scheduler.schedule(prefix + "/" + name, nonNegative, () -> {
            pending.remove(name);
            task.run();
        }));
    }

    void cancel(String name) {
        Scheduler.Timer timer = pending.remove(name);
        if (timer != null) {
            timer.cancel();
        }
    }

    void cancelAll() {
        pending.values().forEach(Scheduler.Timer::cancel);
        pending.clear();
    }
}
