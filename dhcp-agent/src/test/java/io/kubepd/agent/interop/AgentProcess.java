package io.kubepd.agent.interop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubepd.testkit.lab.LabException;
import io.kubepd.testkit.lab.LabNode;
import io.kubepd.testkit.lab.NetnsLab;
import io.kubepd.testkit.lab.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The real agent, {@code java -jar kubepd-dhcp-agent.jar standalone ...}, running as its own process inside a lab
 * node's namespace (binding port 546 has to happen there). Its stdout (JSON events) and stderr (log) go to files in
 * the lab directory; the lab stops it after the test.
 */
final class AgentProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Process process;
    private final Path events;
    private final Path log;
    private final List<String> command;

    private AgentProcess(Process process, Path events, Path log, List<String> command) {
        this.process = process;
        this.events = events;
        this.log = log;
        this.command = command;
    }

    /** The shaded jar the {@code package} phase built; failsafe passes its path. */
    static Path jar() {
        String jar = System.getProperty("kubepd.agentJar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("agent jar " + jar + " not found; run the ITs with mvn verify, which"
                    + " builds it in the package phase");
        }
        return Path.of(jar);
    }

    /** Starts {@code standalone --interface <node uplink> --state-dir <stateDir> <args>} in {@code node}'s namespace. */
    static AgentProcess standalone(NetnsLab lab, LabNode node, Path stateDir, String... args) {
        return standalone(lab, node, stateDir, List.of(), args);
    }

    /**
     * As {@link #standalone(NetnsLab, LabNode, Path, String...)}, started through {@code launcher} inside the
     * namespace (e.g. {@code setpriv} dropping capabilities).
     */
    static AgentProcess standalone(NetnsLab lab, LabNode node, Path stateDir, List<String> launcher, String... args) {
        Path dir = lab.newDir("agent-n" + node.index());
        Path events = dir.resolve("events.jsonl");
        Path log = dir.resolve("agent.log");
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", node.netns().name()));
        command.addAll(launcher);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Small heap: the agent must stay small, and the lab runs several at once.
                "-Xmx64m", "-XX:+UseSerialGC", "-jar", jar().toString(),
                "--log-level", "debug", "standalone", "--interface", node.interfaceName(),
                "--state-dir", stateDir.toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(events.toFile())
                    .redirectError(log.toFile())
                    .start();
            return lab.track(new AgentProcess(process, events, log, command));
        } catch (IOException e) {
            throw new LabException("cannot start the agent: " + String.join(" ", command), e);
        }
    }

    /** The lease events printed so far, oldest first. */
    List<JsonNode> events() {
        try (Stream<String> lines = Files.lines(events)) {
            List<JsonNode> parsed = new ArrayList<>();
            for (String line : lines.filter(l -> !l.isBlank()).toList()) {
                parsed.add(JSON.readTree(line));
            }
            return parsed;
        } catch (JsonProcessingException e) {
            throw new AssertionError("the agent printed a line that is not JSON: " + e.getMessage()
                    + "\n" + describe(), e);
        } catch (IOException e) {
            throw new LabException("cannot read " + events, e);
        }
    }

    /** Waits for the first event (also among earlier ones) matching {@code condition}. */
    JsonNode awaitEvent(Duration timeout, String what, Predicate<JsonNode> condition) {
        return awaitEventAfter(0, timeout, what, condition);
    }

    /** Waits for an event at index {@code from} or later matching {@code condition}. */
    JsonNode awaitEventAfter(int from, Duration timeout, String what, Predicate<JsonNode> condition) {
        try {
            return Poll.untilPresent(timeout, what, () -> {
                List<JsonNode> all = events();
                Optional<JsonNode> match = all.subList(Math.min(from, all.size()), all.size()).stream()
                        .filter(condition).findFirst();
                if (match.isEmpty() && !process.isAlive()) {
                    throw new AssertionError("the agent exited with " + process.exitValue() + " while waiting for "
                            + what + "\n" + describe());
                }
                return match;
            });
        } catch (LabException e) {
            throw new AssertionError(e.getMessage() + "\n" + describe(), e);
        }
    }

    /** Waits until the agent's log contains {@code text}. */
    void awaitLog(Duration timeout, String text) {
        awaitLogAfter(0, timeout, text);
    }

    /** Waits until the agent's log, from character {@code from} on (see {@link #log()}), contains {@code text}. */
    void awaitLogAfter(int from, Duration timeout, String text) {
        try {
            Poll.until(timeout, "agent log line containing '" + text + "'", () -> log().indexOf(text, from) >= 0);
        } catch (LabException e) {
            throw new AssertionError(e.getMessage() + "\n" + describe(), e);
        }
    }

    /** Waits for the agent to exit by itself and returns its exit code. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the agent did not exit within " + timeout + "\n" + describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return process.exitValue();
    }

    /** Sends SIGTERM, as Kubernetes or systemd would, and returns the exit code. */
    int terminate() {
        process.destroy();
        return awaitExit(STOP_GRACE);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** The command, events and log, for failure messages. */
    String describe() {
        String printed;
        try {
            printed = Files.exists(events) ? Files.readString(events) : "";
        } catch (IOException e) {
            printed = "(cannot read " + events + ")";
        }
        return "agent: " + String.join(" ", command) + "\nevents:\n" + printed + "log:\n" + log();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
