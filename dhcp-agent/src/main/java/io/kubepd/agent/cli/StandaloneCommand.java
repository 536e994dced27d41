package io.kubepd.agent.cli;

import io.kubepd.agent.warmup.Warmup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
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
 * {@code dhcp-agent standalone}: runs the DHCPv6-PD client on one or more uplinks without Kubernetes and prints one
 * JSON line per lease event on stdout, optionally running a hook command on every change.
 */
@Command(
        name = "standalone",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Requests an IPv6 prefix by DHCPv6 prefix delegation (RFC 8415) on each --interface and keeps it: renews,"
                    + " rebinds, follows renumbering. Needs root or CAP_NET_BIND_SERVICE (UDP port 546).",
            "",
            "stdout: one JSON object per line and event (bound, renewed, rebound, changed, expired, released) with the"
                    + " prefix and its lifetimes. stderr: the log.",
        },
        footer = {
            "",
            "Hook environment (--on-change): KUBEPD_EVENT, KUBEPD_INTERFACE, KUBEPD_OLD_PREFIX, KUBEPD_NEW_PREFIX,"
                    + " KUBEPD_PREFERRED_LIFETIME, KUBEPD_VALID_LIFETIME, KUBEPD_T1, KUBEPD_T2, KUBEPD_SERVER_DUID"
                    + " (absent values are empty).",
            "",
            "Exit status: 0 --once got a prefix; 1 failure (the reason is logged on stderr); 2 bad command line;"
                    + " 143 or 130 stopped by SIGTERM or SIGINT (after saving the leases, and releasing them with"
                    + " --release-on-exit).",
            "",
            "Examples:",
            "  dhcp-agent standalone --interface eth0 --prefix-length 56",
            "  dhcp-agent standalone -i eth0 --once --timeout 60s",
            "  dhcp-agent standalone -i eth0 -i eth1 --on-change /etc/kubepd/prefix-changed.sh",
            "",
        })
public final class StandaloneCommand implements Callable<Integer> {

    @Option(names = {"-i", "--interface"}, required = true, paramLabel = "IF",
            description = "Uplink to request a prefix on; repeat for several uplinks (one client each).")
    List<String> interfaces;

    @Option(names = "--prefix-length", paramLabel = "N",
            description = "Ask for a prefix of this length (a hint the server may ignore), e.g. 56.")
    Integer prefixLength;

    @Option(names = "--ia-pds", paramLabel = "N", defaultValue = "1",
            description = "IA_PDs to request on each interface (default: ${DEFAULT-VALUE}); each is its own lease with"
                    + " its own prefix and IAID, for upstreams that delegate one prefix per IA_PD.")
    int iaPds;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/var/lib/kubepd-agent",
            description = "Where the DUID, IAIDs and leases are kept across restarts (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Mixin
    ClientOptions client;

    @Option(names = "--rapid-commit",
            description = "Offer Rapid Commit: a server that allows it answers Solicit with Reply directly.")
    boolean rapidCommit;

    @Option(names = "--once",
            description = "Exit 0 as soon as every IA_PD has a prefix (after printing them), or 1 on failure.")
    boolean once;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --once: give up (exit 1) if no prefix is bound in this time, e.g. 60s, 5m.")
    Duration timeout;

    @Option(names = "--on-change", paramLabel = "CMD",
            description = "Run CMD with /bin/sh -c after every lease event, with the prefixes in its environment.")
    String onChange;

    @Option(names = "--release-on-exit",
            description = "Send Release on SIGTERM. Off by default: a restarted agent rebinds the same prefix"
                    + " (RFC 9096).")
    boolean releaseOnExit;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        validate();
        // The warm-up's throwaway events also go through what this mode does with events, short of printing them.
        Warmup.proceed(StandaloneRun.warmUpListener());
        // Created here, not in a static field: the log level is set while the command line is parsed.
        Logger log = LoggerFactory.getLogger(StandaloneCommand.class);
        try {
            return new StandaloneRun(this, log).run();
        } catch (StartupException e) {
            log.error("{}", e.getMessage());
            return EXIT_FAILURE;
        }
    }

    private void validate() {
        if (timeout != null && !once) {
            throw new ParameterException(spec.commandLine(), "--timeout only applies with --once");
        }
        if (prefixLength != null && (prefixLength < 1 || prefixLength > 128)) {
            throw new ParameterException(spec.commandLine(), "--prefix-length must be 1..128, not " + prefixLength);
        }
        if (iaPds < 1 || iaPds > MAX_IA_PDS) {
            throw new ParameterException(spec.commandLine(), "--ia-pds must be 1.." + MAX_IA_PDS + ", not " + iaPds);
        }
        if (new HashSet<>(interfaces).size() != interfaces.size()) {
            throw new ParameterException(spec.commandLine(), "each --interface may be given once: " + interfaces);
        }
    }

    static final int EXIT_FAILURE = 1;
    /** As many IA_PDs as a DelegationPolicy uplink may ask for. */
    static final int MAX_IA_PDS = 8;
}
