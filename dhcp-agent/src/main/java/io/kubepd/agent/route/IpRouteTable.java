package io.kubepd.agent.route;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RouteTable} over iproute2: reads with {@code ip -6 -json route show table all proto 249}, writes all changes of
 * one reconcile with a single {@code ip -6 -force -batch -}, in order.
 *
 * <p>The command prefix is configurable so tests can work inside a network namespace ({@code ip -n <ns>}); in
 * production it is plain {@code ip} in the host network namespace.
 */
public final class IpRouteTable implements RouteTable {
  static final String IP_NOT_FOUND = "iproute2 `ip` not found; the agent image must include iproute2";
  static final String NEEDS_NET_ADMIN = "permission denied: the agent needs CAP_NET_ADMIN to change routes";

  private static final Logger LOG = LoggerFactory.getLogger(IpRouteTable.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern COMMAND_FAILED = Pattern.compile("^Command failed .*:(\\d+)$");

  private final List<String> ip;
  private final Duration timeout;

  /**
   * @param ipCommand how to run iproute2, e.g. {@code [ip]} or {@code [ip, -n, node1]}; route arguments follow it
   * @param timeout how long one {@code ip} run may take before it is killed
   */
  public IpRouteTable(List<String> ipCommand, Duration timeout) {
    if (ipCommand.isEmpty()) {
      throw new IllegalArgumentException("the ip command must not be empty");
    }
    this.ip = List.copyOf(ipCommand);
    this.timeout = timeout;
  }

  /** Plain {@code ip} in the agent's own network namespace: the production table. */
  public static IpRouteTable system() {
    return new IpRouteTable(List.of("ip"), DEFAULT_TIMEOUT);
  }

  /** Runs {@code ip -n <namespace>}: the table of a named network namespace. */
  public static IpRouteTable inNamespace(String namespace) {
    return new IpRouteTable(List.of("ip", "-n", namespace), DEFAULT_TIMEOUT);
  }

  @Override
  public List<KernelRoute> owned() {
    Result shown = run(List.of("-6", "-json", "route", "show", "table", "all", "proto", String.valueOf(KernelRoute.PROTOCOL)), "");
    if (shown.exitCode != 0) {
      throw new RouteException("cannot list routes with " + describe(shown) + hint(shown.stderr));
    }
    return parseRoutes(shown.stdout);
  }

  @Override
  public Map<RouteChange, String> apply(List<RouteChange> changes) {
    if (changes.isEmpty()) {
      return Map.of();
    }
    Result batch = run(List.of("-6", "-force", "-batch", "-"), batchScript(changes));
    if (batch.exitCode == 0) {
      return Map.of();
    }
    Map<Integer, String> errors = parseBatchErrors(batch.stderr);
    if (errors.isEmpty()) {
      // ip failed before reading a line (bad namespace, bad option): every change failed for the same reason.
      String message = describe(batch) + hint(batch.stderr);
      Map<RouteChange, String> failures = new LinkedHashMap<>();
      changes.forEach(c -> failures.put(c, message));
      return failures;
    }
    Map<RouteChange, String> failures = new LinkedHashMap<>();
    for (Map.Entry<Integer, String> error : errors.entrySet()) {
      int index = error.getKey() - 1;
      if (index < 0 || index >= changes.size()) {
        LOG.warn("ip reported a failure on batch line {} of {}: {}", error.getKey(), changes.size(), error.getValue());
        continue;
      }
      RouteChange change = changes.get(index);
      explain(change, error.getValue()).ifPresent(m -> failures.put(change, m));
    }
    return failures;
  }

  /** The batch text for {@code changes}, one {@link RouteChange#batchLine()} per line in order. */
  static String batchScript(List<RouteChange> changes) {
    StringBuilder script = new StringBuilder();
    changes.forEach(c -> script.append(c.batchLine()).append('\n'));
    return script.toString();
  }

  /** Parses {@code ip -6 -json route show} output; routes ip prints without a type are unicast, without a table main. */
  static List<KernelRoute> parseRoutes(String json) {
    if (json.isBlank()) {
      return List.of();
    }
    JsonNode routes;
    try {
      routes = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new RouteException("cannot parse ip -json route output: " + e.getOriginalMessage() + "\n" + json, e);
    }
    if (!routes.isArray()) {
      throw new RouteException("ip -json route output is not a JSON array: " + json);
    }
    List<KernelRoute> parsed = new ArrayList<>();
    for (JsonNode route : routes) {
      try {
        parsed.add(new KernelRoute(
            RouteKind.of(route.path("type").asText("unicast")),
            destination(route.path("dst").asText("")),
            route.hasNonNull("dev") ? route.get("dev").asText() : null,
            route.path("table").asText("main"),
            route.path("metric").asLong(0)));
      } catch (IllegalArgumentException e) {
        // Only a route kubepd cannot even name could get here; leaving it alone is the safe choice.
        LOG.warn("ignoring a route of protocol {} that kubepd cannot read ({}): {}", KernelRoute.PROTOCOL,
            e.getMessage(), route);
      }
    }
    return parsed;
  }

  private static Ipv6Cidr destination(String dst) {
    if (dst.equals("default")) {
      return Ipv6Cidr.parse("::/0");
    }
    return Ipv6Cidr.parse(dst.contains("/") ? dst : dst + "/128");
  }

  /** Maps batch line numbers (1-based) to the error messages ip printed before reporting that line as failed. */
  static Map<Integer, String> parseBatchErrors(String stderr) {
    Map<Integer, String> errors = new TreeMap<>();
    List<String> pending = new ArrayList<>();
    for (String line : stderr.split("\n")) {
      Matcher failed = COMMAND_FAILED.matcher(line.strip());
      if (failed.matches()) {
        errors.put(Integer.parseInt(failed.group(1)), pending.isEmpty() ? "failed" : String.join("; ", pending));
        pending.clear();
      } else if (!line.isBlank()) {
        pending.add(line.strip());
      }
    }
    return errors;
  }

  /** The message for a failed change, or empty when the failure leaves the planned state in place anyway. */
  private static Optional<String> explain(RouteChange change, String error) {
    KernelRoute route = change.route();
    if (error.contains("Operation not permitted")) {
      return Optional.of(NEEDS_NET_ADMIN + " (" + error + ")");
    }
    if (change.operation() == RouteChange.Operation.DELETE && error.contains("No such process")) {
      return Optional.empty();
    }
    if (change.operation() == RouteChange.Operation.ADD && error.contains("File exists")) {
      return Optional.of("another route already holds " + route.destination() + " metric " + route.metric()
          + " in table " + route.table() + "; kubepd leaves routes it does not own alone (" + error + ")");
    }
    if (error.contains("Cannot find device")) {
      return Optional.of("device " + route.device() + " does not exist on this node (" + error + ")");
    }
    return Optional.of(error);
  }

  private static String hint(String stderr) {
    return stderr.contains("Operation not permitted") ? "; " + NEEDS_NET_ADMIN : "";
  }

  private String describe(Result result) {
    return String.join(" ", result.command) + " (exit " + result.exitCode + "): " + result.stderr.strip();
  }

  private Result run(List<String> arguments, String stdin) {
    List<String> command = Stream.concat(ip.stream(), arguments.stream()).toList();
    Path in = null;
    Path out = null;
    Path err = null;
    try {
      // Files rather than pipes: no reader threads, and neither side can block on a full pipe.
      in = Files.createTempFile("kubepd-ip-", ".in");
      out = Files.createTempFile("kubepd-ip-", ".out");
      err = Files.createTempFile("kubepd-ip-", ".err");
      Files.writeString(in, stdin, StandardCharsets.UTF_8);
      Process process;
      try {
        process = new ProcessBuilder(command)
            .redirectInput(in.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
      } catch (IOException e) {
        throw new RouteException(IP_NOT_FOUND + " (cannot run " + String.join(" ", command) + ": " + e.getMessage() + ")", e);
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new RouteException(String.join(" ", command) + " did not finish within " + timeout.toMillis() + " ms");
      }
      return new Result(command, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new RouteException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RouteException("interrupted while running " + String.join(" ", command), e);
    } finally {
      deleteQuietly(in);
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        LOG.debug("cannot delete temporary file {}: {}", file, e.toString());
      }
    }
  }

  @Override
  public String toString() {
    return "ip route table via '" + String.join(" ", ip) + "'";
  }

  private record Result(List<String> command, int exitCode, String stdout, String stderr) {}
}
