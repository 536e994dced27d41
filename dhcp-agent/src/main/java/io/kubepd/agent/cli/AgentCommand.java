package io.kubepd.agent.cli;

import io.kubepd.agent.warmup.Warmup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dhcp-agent agent}: the DaemonSet mode. Requests prefixes on the uplinks the node's DelegationPolicy names,
 * reports each as a PrefixLease and holds the routes the operator planned for it.
 */
@Command(
        name = "agent",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Runs on every node (DaemonSet, host network): one DHCPv6-PD client per uplink of the node's"
                    + " DelegationPolicy, each lease reported as a PrefixLease, and the operator's route plan"
                    + " (AnyIP local routes, an unreachable route) held in the kernel with routing protocol 249.",
            "",
            "Talks to the API server with the in-cluster service account, or $KUBECONFIG. While the API server is"
                    + " unreachable the leases are kept and renewed and the routes stay; reports catch up later.",
        })
public final class AgentCommand implements Callable<Integer> {

    @Option(names = "--node-name", required = true, paramLabel = "NODE", defaultValue = "${env:NODE_NAME}",
            description = "This node's name (the DaemonSet passes spec.nodeName; default: $NODE_NAME).")
    String nodeName;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/var/lib/kubepd",
            description = "Where the DUID, IAIDs, leases and last policy are kept (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Mixin
    ClientOptions client;

    @Option(names = "--health-address", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9546",
            description = "Address of /healthz and /readyz (default: ${DEFAULT-VALUE}).")
    String healthAddress;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "9547",
            description = "Port of /metrics on all addresses; 0 turns it off (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--keep-routes-on-exit", paramLabel = "BOOL", defaultValue = "true", arity = "1",
            description = "Leave the routes in place when the agent stops, so a restart does not interrupt"
                    + " traffic (default: ${DEFAULT-VALUE}).")
    boolean keepRoutesOnExit;

    @Option(names = "--release-on-exit", paramLabel = "BOOL", defaultValue = "false", arity = "1",
            description = "Send Release when the agent stops (default: ${DEFAULT-VALUE}; RFC 9096 advises against it"
                    + " on a restart).")
    boolean releaseOnExit;

    @Option(names = "--route-resync", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class,
            description = "How often the kernel's routes are compared with the plan and repaired"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration routeResync;

    @Option(names = "--cni-ranges-file", paramLabel = "FILE",
            description = "Write the pod CIDR as host-local IPAM ranges to FILE, replaced atomically.")
    Path cniRangesFile;

    @Option(names = "--cni-conflist-template", paramLabel = "FILE",
            description = "With --cni-ranges-file: fill the host-local ipam blocks of this conflist and write the"
                    + " whole conflist instead of a ranges fragment.")
    Path cniConflistTemplate;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (nodeName == null || nodeName.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--node-name is required (or set NODE_NAME)");
        }
        if (cniConflistTemplate != null && cniRangesFile == null) {
            throw new ParameterException(spec.commandLine(), "--cni-conflist-template needs --cni-ranges-file");
        }
        if (!healthAddress.matches(".+:\\d+")) {
            throw new ParameterException(spec.commandLine(), "--health-address must be HOST:PORT, not " + healthAddress);
        }
        // Main began the warm-up; this mode adds nothing to what it does with the throwaway events.
        Warmup.proceed(event -> { });
        Logger log = LoggerFactory.getLogger(AgentCommand.class);
        try {
            return new AgentRun(this, log).run();
        } catch (StartupException e) {
            log.error("{}", e.getMessage());
            return StandaloneCommand.EXIT_FAILURE;
        }
    }
}
