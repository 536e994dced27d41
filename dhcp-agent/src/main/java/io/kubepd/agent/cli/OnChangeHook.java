package io.kubepd.agent.cli;

import io.kubepd.agent.client.Lease;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the user's {@code --on-change} command for every lease event, one at a time and in order, with the event in
 * its environment (the dhclient-hook use case). Its output goes to the log, never to stdout, which carries only
 * JSON events; a hook that hangs is killed after {@link #TIMEOUT}.
 */
final class OnChangeHook implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(OnChangeHook.class);

    private final String command;
    // One thread: hooks see events in the order they happened, and a slow hook never stalls the client.
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "on-change-hook");
        t.setDaemon(true);
        return t;
    });

    OnChangeHook(String command) {
        this.command = Objects.requireNonNull(command);
    }

    void submit(LeaseChange change) {
        Map<String, String> env = environment(change);
        runner.execute(() -> run(change, env));
    }

    static Map<String, String> environment(LeaseChange change) {
        Lease lease = change.lease();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KUBEPD_EVENT", change.eventName());
        env.put("KUBEPD_INTERFACE", change.interfaceName());
        env.put("KUBEPD_PREFIX", lease.cidr());
        env.put("KUBEPD_EXCLUDED_PREFIX", Objects.toString(lease.excludedPrefix(), ""));
        env.put("KUBEPD_OLD_PREFIX", Objects.toString(change.oldPrefix(), ""));
        env.put("KUBEPD_NEW_PREFIX", Objects.toString(change.newPrefix(), ""));
        env.put("KUBEPD_IAID", Long.toString(lease.iaid()));
        env.put("KUBEPD_PREFERRED_LIFETIME", Long.toString(lease.preferredLifetime()));
        env.put("KUBEPD_VALID_LIFETIME", Long.toString(lease.validLifetime()));
        env.put("KUBEPD_T1", Long.toString(lease.t1()));
        env.put("KUBEPD_T2", Long.toString(lease.t2()));
        env.put("KUBEPD_SERVER_DUID", lease.serverDuid());
        env.put("KUBEPD_DNS_SERVERS", String.join(" ", lease.dns().servers()));
        env.put("KUBEPD_DOMAIN_SEARCH", String.join(" ", lease.dns().searchList()));
        return env;
    }

    private void run(LeaseChange change, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            LOG.error("cannot run on-change command '{}': {}", command, e.getMessage());
            return;
        }
        // A separate reader: a hook that leaves a background child holding the pipe must not block the next hook.
        Thread reader = new Thread(() -> logOutput(process, change), "on-change-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                LOG.error("on-change command for {} on {} did not finish within {} s; killed it",
                        change.eventName(), change.interfaceName(), TIMEOUT.toSeconds());
                return;
            }
            reader.join(OUTPUT_DRAIN.toMillis());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return;
        }
        if (process.exitValue() != 0) {
            LOG.warn("on-change command for {} on {} exited with {}", change.eventName(), change.interfaceName(),
                    process.exitValue());
        }
    }

    private static void logOutput(Process process, LeaseChange change) {
        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = output.readLine()) != null) {
                LOG.info("on-change ({} {}): {}", change.eventName(), change.interfaceName(), line);
            }
        } catch (IOException e) {
            LOG.debug("on-change output ended: {}", e.toString());
        }
    }

    /** Lets queued hooks finish (each within its timeout), so that a released or expired prefix is reported. */
    @Override
    public void close() {
        runner.shutdown();
        try {
            if (!runner.awaitTermination(TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                runner.shutdownNow();
            }
        } catch (InterruptedException e) {
            runner.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
