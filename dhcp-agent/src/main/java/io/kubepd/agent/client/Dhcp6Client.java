package io.kubepd.agent.client;

import io.kubepd.agent.codec.Dhcp6Message;
import io.kubepd.agent.codec.Duid;
import io.kubepd.agent.codec.MessageType;
import io.kubepd.agent.codec.OptionCode;
import io.kubepd.agent.codec.StatusCode;
import io.kubepd.agent.codec.option.ClientIdOption;
import io.kubepd.agent.codec.option.Dhcp6Option;
import io.kubepd.agent.codec.option.DnsServersOption;
import io.kubepd.agent.codec.option.DomainListOption;
import io.kubepd.agent.codec.option.ElapsedTimeOption;
import io.kubepd.agent.codec.option.IaPdOption;
import io.kubepd.agent.codec.option.IaPrefixOption;
import io.kubepd.agent.codec.option.OroOption;
import io.kubepd.agent.codec.option.PreferenceOption;
import io.kubepd.agent.codec.option.RapidCommitOption;
import io.kubepd.agent.codec.option.ReconfAcceptOption;
import io.kubepd.agent.codec.option.ReconfMsgOption;
import io.kubepd.agent.codec.option.ServerIdOption;
import io.kubepd.agent.codec.option.ServerUnicastOption;
import io.kubepd.agent.codec.option.SolMaxRtOption;
import io.kubepd.agent.codec.option.StatusCodeOption;
import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DHCPv6 prefix-delegation client for one uplink interface (RFC 8415 §18 for IA_PD). It manages
 * every configured IA_PD in one exchange, as §18.1 recommends, while each IA's prefixes are
 * separate leases with their own lifetimes and events.
 *
 * <p>Not thread-safe: calls to it, and the scheduler's timers, must all run on one thread (the
 * transport's event loop). Received messages that do not fit are dropped and counted by
 * {@link DropReason}; the receive path never throws.
 */
public final class Dhcp6Client {
    private static final Logger LOG = LoggerFactory.getLogger(Dhcp6Client.class);
    private static final String RENEW_TIMER = "t1";
    private static final String EXPIRY_TIMER = "expiry";
    private static final Inet6Address UNSPECIFIED = unspecified();

    private final Logger log;
    private final Dhcp6ClientConfig config;
    private final Clock clock;
    private final RandomGenerator random;
    private final MessageSender sender;
    private final LeaseListener listener;
    private final NamedTimers timers;
    private final String iface;
    private final ReconfigureKeys reconfigureKeys = new ReconfigureKeys();
    private final Map<Long, IaBinding> ias = new LinkedHashMap<>();
    private final Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
    /** Valid Advertises collected during the first Solicit RT (§18.2.1), in arrival order. */
    private final List<Advertise> advertises = new ArrayList<>();

    private ClientState state = ClientState.INIT;
    private Exchange exchange;
    /** The server of the current bindings, or the one being requested or released. */
    private Duid server;
    /** The server's Server Unicast address (§21.12), or null to multicast. */
    private Inet6Address serverUnicast;
    /** Prefixes from the chosen Advertise, requested by IAID. */
    private Map<Long, List<IaPrefixOption>> requestHints = Map.of();
    /** What a Release exchange is releasing, by IAID. */
    private Map<Long, List<IaPrefixOption>> releasing = Map.of();
    private Duration solMaxRt = Retransmission.SOLICIT.maxTimeout;
    /** Solicit exchanges started since the client was last bound; spaces out rediscovery (§14.1). */
    private int solicitsSinceBound;

    private record Advertise(Duid server, int preference, Map<Long, List<IaPrefixOption>> offered) {
    }

    public Dhcp6Client(Dhcp6ClientConfig config, Clock clock, Scheduler scheduler, RandomGenerator random,
            MessageSender sender, LeaseListener listener) {
        this(config, clock, scheduler, random, sender, listener, LOG);
    }

    /** A client that logs to {@code log}: the start-up warm-up's throwaway client logs nowhere. */
    public Dhcp6Client(Dhcp6ClientConfig config, Clock clock, Scheduler scheduler, RandomGenerator random,
            MessageSender sender, LeaseListener listener, Logger log) {
        this.log = log;
        this.config = config;
        this.clock = clock;
        this.random = random;
        this.sender = sender;
        this.listener = listener;
        this.iface = config.interfaceName();
        this.timers = new NamedTimers(scheduler, iface);
        config.iaids().forEach(iaid -> ias.put(iaid, new IaBinding(iaid)));
    }

    /**
     * Takes back persisted leases before {@link #start()}, without sending anything: the unexpired ones of
     * configured IAs are held and reported as {@link LeaseEvent.Type#RESTORED}, and expire on time even if the
     * start is late (an interface without a usable address yet).
     */
    public void restore(Collection<Lease> persisted) {
        if (state != ClientState.INIT) {
            throw new IllegalStateException(iface + ": restore() in " + state + "; leases are restored before start()");
        }
        Instant wallNow = clock.now();
        long now = clock.nanoTime();
        for (Lease lease : persisted) {
            restore(lease, wallNow, now);
        }
        armExpiry();
    }

    /** Restores {@code persisted} and starts: {@link #restore} then {@link #start()}. */
    public void start(Collection<Lease> persisted) {
        restore(persisted);
        start();
    }

    /** Starts: restored leases are confirmed with Rebind (§18.2.12); without any, server discovery with Solicit. */
    public void start() {
        if (state != ClientState.INIT) {
            throw new IllegalStateException(iface + ": start() in " + state + "; a client starts once");
        }
        List<IaBinding.Held> restored = held();
        if (restored.isEmpty()) {
            enterSoliciting("started", false);
            return;
        }
        server = Duid.parse(restored.get(0).lease().serverDuid());
        transition(ClientState.REBINDING, "restored " + restored.size() + " unexpired lease(s)");
        armExpiry();
        startExchange(Retransmission.REBIND, Duration.ZERO, this::rebindFailed);
    }

    /** Gives back every held prefix: reported as RELEASED, then a Release exchange, then STOPPED. */
    public void release() {
        if (state == ClientState.INIT || state == ClientState.STOPPED || state == ClientState.RELEASING) {
            log.info("{}: release() in {} has nothing to do", iface, state);
            return;
        }
        if (held().isEmpty()) {
            stop();
            return;
        }
        Map<Long, List<IaPrefixOption>> released = new LinkedHashMap<>();
        for (IaBinding ia : ias.values()) {
            List<IaPrefixOption> prefixes = new ArrayList<>();
            for (IaBinding.Held held : ia.clear()) {
                prefixes.add(IaPrefixOption.of(0, 0, held.lease().prefixLength(), held.lease().prefixAddress()));
                // §18.2.7: the client stops using a prefix before it starts releasing it.
                emit(LeaseEvent.Type.RELEASED, held.lease().withState(Lease.State.RELEASED));
            }
            if (!prefixes.isEmpty()) {
                released.put(ia.iaid, prefixes);
            }
        }
        timers.cancel(EXPIRY_TIMER);
        transition(ClientState.RELEASING, "release requested");
        releasing = released;
        startExchange(Retransmission.RELEASE, Duration.ZERO,
                () -> transition(ClientState.STOPPED, "Release unanswered after "
                        + Retransmission.RELEASE.maxTransmissions + " transmissions"));
    }

    /** Stops all activity without releasing; held leases stay valid for a later restart. */
    public void stop() {
        if (state != ClientState.STOPPED) {
            transition(ClientState.STOPPED, "stopped");
            timers.cancelAll();
        }
    }

    /** Handles a message received on the uplink; drops and counts what does not fit. */
    public void onMessage(Dhcp6Message message, InetAddress source) {
        log.debug("{}: received {} from {}", iface, message, source);
        if (state == ClientState.INIT || state == ClientState.STOPPED) {
            drop(DropReason.NOT_RUNNING, message, "client is " + state);
            return;
        }
        MessageType type = message.type();
        if (!type.equals(MessageType.ADVERTISE) && !type.equals(MessageType.REPLY)
                && !type.equals(MessageType.RECONFIGURE)) {
            drop(DropReason.UNEXPECTED_TYPE, message, "clients never accept " + type);
            return;
        }
        Optional<ClientIdOption> clientId = message.option(ClientIdOption.class);
        if (clientId.isEmpty()) {
            drop(DropReason.MISSING_CLIENT_ID, message, "no Client Identifier");
            return;
        }
        if (!clientId.get().duid().equals(config.duid())) {
            drop(DropReason.WRONG_CLIENT_ID, message, "for client " + clientId.get().duid());
            return;
        }
        Optional<ServerIdOption> serverId = message.option(ServerIdOption.class);
        if (serverId.isEmpty()) {
            drop(DropReason.MISSING_SERVER_ID, message, "no Server Identifier");
            return;
        }
        Duid from = serverId.get().duid();
        if (type.equals(MessageType.RECONFIGURE)) {
            onReconfigure(message, from);
            return;
        }
        if (exchange == null || message.transactionId() != exchange.transactionId()) {
            drop(DropReason.WRONG_TRANSACTION_ID, message, "no exchange with this transaction id");
            return;
        }
        if (type.equals(MessageType.ADVERTISE)) {
            onAdvertise(message, from);
        } else {
            onReply(message, from);
        }
    }

    public ClientState state() {
        return state;
    }

    /** The prefixes held now, active and draining. */
    public List<Lease> leases() {
        return held().stream().map(IaBinding.Held::lease).toList();
    }

    /** Dropped-message counters; reasons never seen are absent. */
    public Map<DropReason, Long> dropCounts() {
        return Map.copyOf(drops);
    }

    /** The Solicit MRT in force, as changed by SOL_MAX_RT options. */
    Duration solMaxRt() {
        return solMaxRt;
    }

    // ---------------------------------------------------------------- receive

    private void onAdvertise(Dhcp6Message advertise, Duid from) {
        if (state != ClientState.SOLICITING) {
            drop(DropReason.UNEXPECTED_TYPE, advertise, "Advertise in " + state);
            return;
        }
        // §18.2.9: SOL_MAX_RT counts even in an Advertise that is otherwise ignored.
        applySolMaxRt(advertise);
        Optional<StatusCodeOption> status = advertise.option(StatusCodeOption.class);
        if (isFailure(status)) {
            drop(DropReason.NO_USABLE_PREFIX, advertise, "status " + describe(status.get()));
            return;
        }
        Map<Long, List<IaPrefixOption>> offered = offeredPrefixes(advertise);
        if (offered.isEmpty()) {
            drop(DropReason.NO_USABLE_PREFIX, advertise, "offers no usable prefix for IAIDs " + config.iaids());
            return;
        }
        int preference = advertise.option(PreferenceOption.class).map(PreferenceOption::preference).orElse(0);
        Advertise candidate = new Advertise(from, preference, offered);
        if (preference == PreferenceOption.MAX) {
            enterRequesting(candidate, "Advertise from " + from + " with preference 255");
        } else if (exchange.transmissions() > 1) {
            // After the first RT the first valid Advertise is taken at once (§18.2.1).
            enterRequesting(candidate, "first Advertise after the first RT, from " + from);
        } else {
            advertises.add(candidate);
            log.debug("{}: collected Advertise from {} with preference {}", iface, from, preference);
        }
    }

    private boolean concludeSolicit() {
        if (advertises.isEmpty()) {
            return false;
        }
        // Highest preference wins; among equals, the first to arrive.
        Advertise best = advertises.stream().max(Comparator.comparingInt(Advertise::preference)
                .thenComparing(a -> -advertises.indexOf(a))).orElseThrow();
        enterRequesting(best, "best of " + advertises.size() + " Advertise(s) after the first RT: " + best.server()
                + " with preference " + best.preference());
        return true;
    }

    private void onReply(Dhcp6Message reply, Duid from) {
        boolean rapidCommit = state == ClientState.SOLICITING;
        if (rapidCommit && (!config.rapidCommit() || reply.option(RapidCommitOption.class).isEmpty())) {
            drop(DropReason.NO_RAPID_COMMIT, reply, "Reply to Solicit without a Rapid Commit exchange");
            return;
        }
        boolean mustBeSelected = state == ClientState.REQUESTING || state == ClientState.RENEWING
                || state == ClientState.RELEASING;
        if (mustBeSelected && !from.equals(server)) {
            drop(DropReason.SERVER_NOT_SELECTED, reply, "from " + from + " while talking to " + server);
            return;
        }
        if (state == ClientState.RELEASING) {
            // §18.2.10.2: any Reply completes the Release, whatever its status.
            transition(ClientState.STOPPED, "Release acknowledged by " + from);
            return;
        }
        applySolMaxRt(reply);
        if (reconfigureKeys.learn(from, reply)) {
            log.info("{}: learned the reconfigure key of server {}", iface, from);
        }
        Optional<StatusCodeOption> status = reply.option(StatusCodeOption.class);
        if (status.isPresent() && onTopLevelStatus(reply, status.get())) {
            return;
        }
        boolean rebind = state == ClientState.REBINDING;
        ReplyOutcome outcome = applyReply(reply, from, rebind);
        boolean renewal = state == ClientState.RENEWING || state == ClientState.REBINDING;
        if (renewal && outcome.noBinding()) {
            // The server lost the binding (a reset lease database, a failover peer that never heard of it), so
            // asking it again (§18.2.10.1's Request) only works if that server still wants this client. Server
            // discovery finds whichever server will serve it (systemd issue 15455, fixed the same way in
            // systemd PR 24299); the prefixes stay in use meanwhile and are the Solicit's hints, so a server that
            // lost only its state delegates the same ones again and nothing downstream changes.
            enterSoliciting("server " + from + " has no binding for an IA", true);
        } else if (outcome.granted() > 0) {
            enterBound(reply, from, outcome.granted());
        } else if (rapidCommit) {
            drop(DropReason.NO_USABLE_PREFIX, reply, "Rapid Commit Reply grants no usable prefix; soliciting on");
        } else if (!renewal || held().isEmpty()) {
            enterSoliciting("Reply from " + from + " grants no usable prefix", false);
        } else {
            // An IA missing from a Renew/Rebind Reply: keep retransmitting on schedule (§18.2.10.1).
            drop(DropReason.NO_USABLE_PREFIX, reply, "Reply extends no prefix");
        }
    }

    /** Handles UnspecFail, UseMulticast and NotOnLink; returns true when the Reply is done with. */
    private boolean onTopLevelStatus(Dhcp6Message reply, StatusCodeOption status) {
        StatusCode code = status.status();
        if (code.equals(StatusCode.UNSPEC_FAIL)) {
            // §18.2.10: retry, rate-limited; the retransmission schedule is that limit.
            drop(DropReason.SERVER_FAILURE, reply, describe(status));
            return true;
        }
        if (code.equals(StatusCode.USE_MULTICAST)) {
            if (serverUnicast == null) {
                drop(DropReason.SERVER_FAILURE, reply, describe(status) + " although the client multicasts");
            } else {
                log.info("{}: server asks for multicast; resending {} to {}", iface,
                        exchange.parameters().messageType, Destination.ALL_DHCP_RELAY_AGENTS_AND_SERVERS.address());
                serverUnicast = null;
                exchange.transmitNow();
            }
            return true;
        }
        if (code.equals(StatusCode.NOT_ON_LINK) && state == ClientState.SOLICITING) {
            drop(DropReason.NO_USABLE_PREFIX, reply, describe(status) + " to Rapid Commit; soliciting on");
            return true;
        }
        if (code.equals(StatusCode.NOT_ON_LINK) && state == ClientState.REQUESTING) {
            // §18.2.10.1: NotOnLink to a Request restarts server discovery.
            enterSoliciting("server says " + describe(status), false);
            return true;
        }
        return false;
    }

    private void onReconfigure(Dhcp6Message reconfigure, Duid from) {
        Optional<MessageType> wanted = reconfigure.option(ReconfMsgOption.class).map(ReconfMsgOption::messageType);
        if (wanted.isEmpty()) {
            drop(DropReason.INVALID_RECONFIGURE, reconfigure, "no Reconfigure Message option");
            return;
        }
        if (!wanted.get().equals(MessageType.RENEW) && !wanted.get().equals(MessageType.REBIND)) {
            drop(DropReason.INVALID_RECONFIGURE, reconfigure, "asks for " + wanted.get() + ", which this client does not send");
            return;
        }
        Optional<String> unauthentic = reconfigureKeys.verify(from, reconfigure);
        if (unauthentic.isPresent()) {
            drop(DropReason.UNAUTHENTICATED_RECONFIGURE, reconfigure, unauthentic.get());
            return;
        }
        if (state != ClientState.BOUND) {
            drop(DropReason.RECONFIGURE_DURING_EXCHANGE, reconfigure, "client is " + state);
            return;
        }
        if (!from.equals(server)) {
            drop(DropReason.SERVER_NOT_SELECTED, reconfigure, "from " + from + " while bound to " + server);
            return;
        }
        // §20.3: the replay floor moves only for a Reconfigure the client acts on.
        reconfigureKeys.accept(from, reconfigure);
        if (wanted.get().equals(MessageType.RENEW)) {
            enterRenewing("Reconfigure from " + from);
        } else {
            enterRebinding("Reconfigure from " + from);
        }
    }

    // ---------------------------------------------------------------- states

    /** The one place the state changes: checks the allowed predecessors and logs the move. */
    private void transition(ClientState to, String reason) {
        if (!to.canBeEnteredFrom(state)) {
            throw new IllegalStateException(iface + ": illegal transition " + state + " -> " + to + " (" + reason + ")");
        }
        log.info("{}: {} -> {} ({})", iface, state, to, reason);
        if (exchange != null) {
            exchange.cancel();
            exchange = null;
        }
        timers.cancel(RENEW_TIMER);
        advertises.clear();
        state = to;
    }

    /**
     * Starts server discovery. With {@code keepLeases} the held prefixes stay in use and are sent as hints;
     * otherwise they are withdrawn first, as a client stops using what it solicits anew. The first Solicit after
     * a binding goes out at once (after the initial delay at start); every further one without a binding in
     * between waits twice as long as the one before, from IRT up to SOL_MAX_RT: a server that advertises but then
     * grants nothing would otherwise keep the client in a Solicit/Request loop (RFC 8415 §14.1).
     */
    private void enterSoliciting(String reason, boolean keepLeases) {
        boolean starting = state == ClientState.INIT;
        transition(ClientState.SOLICITING, reason);
        if (!keepLeases) {
            withdrawAll();
        }
        server = null;
        serverUnicast = null;
        solicitsSinceBound++;
        Duration delay;
        if (solicitsSinceBound > 1) {
            delay = rediscoveryDelay(solicitsSinceBound - 1);
            log.info("{}: Solicit {} without a binding; waiting {} ms before it", iface, solicitsSinceBound,
                    delay.toMillis());
        } else if (starting && config.initialDelay()) {
            delay = Duration.ofNanos(random.nextLong(Retransmission.SOL_MAX_DELAY.toNanos() + 1));
        } else {
            delay = Duration.ZERO;
        }
        startExchange(Retransmission.SOLICIT, delay, () -> {
            throw new IllegalStateException("Solicit has neither MRC nor MRD and cannot fail");
        });
    }

    /** IRT * 2^(retry-1) with RAND, capped at SOL_MAX_RT like a Solicit's own RT (§15). */
    private Duration rediscoveryDelay(int retry) {
        double irt = Retransmission.SOLICIT.initialTimeout.toNanos();
        double mrt = solMaxRt.toNanos();
        double base = Math.min(irt * Math.pow(2, Math.min(retry - 1, 62)), mrt);
        double rand = random.nextDouble(-Retransmission.RAND_BOUND, Retransmission.RAND_BOUND);
        return Duration.ofNanos(Math.round(base + rand * base));
    }

    private void enterRequesting(Advertise chosen, String reason) {
        transition(ClientState.REQUESTING, reason);
        server = chosen.server();
        serverUnicast = null;
        requestHints = chosen.offered();
        startExchange(Retransmission.REQUEST, Duration.ZERO, () -> enterSoliciting("no Reply to Request after "
                + Retransmission.REQUEST.maxTransmissions + " transmissions", false));
    }

    private void enterBound(Dhcp6Message reply, Duid from, int granted) {
        transition(ClientState.BOUND, "Reply from " + from + " delegates " + granted + " prefix(es)");
        solicitsSinceBound = 0;
        server = from;
        serverUnicast = reply.option(ServerUnicastOption.class).map(ServerUnicastOption::address).orElse(null);
        long now = clock.nanoTime();
        ias.values().forEach(ia -> ia.forgetPastTimes(now));
        long next = Math.min(renewAt(), rebindAt());
        if (next != Exchange.NO_DEADLINE) {
            timers.start(RENEW_TIMER, Duration.ofNanos(next - now), this::renewTimerFired);
        }
    }

    private void renewTimerFired() {
        if (rebindAt() <= clock.nanoTime()) {
            enterRebinding("T2 reached");
        } else {
            enterRenewing("T1 reached");
        }
    }

    private void enterRenewing(String reason) {
        if (rebindAt() <= clock.nanoTime()) {
            enterRebinding(reason + ", past T2");
            return;
        }
        transition(ClientState.RENEWING, reason);
        startExchange(Retransmission.RENEW, Duration.ZERO, () -> enterRebinding("no Reply to Renew by T2"));
    }

    private void enterRebinding(String reason) {
        transition(ClientState.REBINDING, reason);
        serverUnicast = null;
        startExchange(Retransmission.REBIND, Duration.ZERO, this::rebindFailed);
    }

    /** The Rebind MRD ends with the last valid lifetime: expire what is due, then Solicit (§18.2.5). */
    private void rebindFailed() {
        expirePrefixes();
    }

    private void expirePrefixes() {
        long now = clock.nanoTime();
        for (IaBinding ia : ias.values()) {
            for (IaBinding.Held held : ia.removeExpired(now)) {
                emit(LeaseEvent.Type.EXPIRED, held.lease().withState(Lease.State.EXPIRED));
            }
        }
        armExpiry();
        boolean holding = state == ClientState.BOUND || state == ClientState.RENEWING
                || state == ClientState.REBINDING || state == ClientState.REQUESTING;
        if (holding && held().isEmpty()) {
            enterSoliciting("every delegated prefix expired", false);
        }
    }

    // ---------------------------------------------------------------- exchanges

    private void startExchange(Retransmission kind, Duration delay, Runnable failed) {
        int transactionId = random.nextInt(Dhcp6Message.MAX_TRANSACTION_ID + 1);
        long deadline = switch (kind.maxDuration) {
            case NONE -> Exchange.NO_DEADLINE;
            case UNTIL_EARLIEST_T2 -> rebindAt();
            case UNTIL_ALL_LEASES_EXPIRE -> lastExpiry();
        };
        BooleanSupplier conclude = kind == Retransmission.SOLICIT ? this::concludeSolicit : () -> false;
        exchange = new Exchange(kind, transactionId, clock, random, timers, deadline,
                (elapsed, written) -> send(buildMessage(kind, transactionId, elapsed), kind, written), conclude,
                failed);
        if (kind == Retransmission.SOLICIT) {
            exchange.maxTimeout(solMaxRt);
        }
        exchange.start(delay);
    }

    private void send(Dhcp6Message message, Retransmission kind, Runnable written) {
        boolean unicast = serverUnicast != null
                && (kind == Retransmission.REQUEST || kind == Retransmission.RENEW || kind == Retransmission.RELEASE);
        Destination destination = unicast
                ? new Destination(serverUnicast) : Destination.ALL_DHCP_RELAY_AGENTS_AND_SERVERS;
        log.debug("{}: sending {} to {}", iface, message, destination.address());
        sender.send(message, destination, written);
    }

    private Dhcp6Message buildMessage(Retransmission kind, int transactionId, int elapsed) {
        List<Dhcp6Option> options = new ArrayList<>();
        options.add(new ClientIdOption(config.duid()));
        if (kind == Retransmission.REQUEST || kind == Retransmission.RENEW || kind == Retransmission.RELEASE) {
            options.add(new ServerIdOption(server));
        }
        options.add(new ElapsedTimeOption(elapsed));
        if (kind != Retransmission.RELEASE) {
            // §18.2.1-18.2.5: ORO must ask for SOL_MAX_RT; Reconfigure Accept enables Reconfigure.
            // RFC 6603: asking for PD_EXCLUDE tells the server this client honours it.
            // DNS_SERVERS and DOMAIN_LIST are only kept for the lease's status: what the upstream offers.
            options.add(OroOption.of(OptionCode.SOL_MAX_RT, OptionCode.PD_EXCLUDE, OptionCode.DNS_SERVERS,
                    OptionCode.DOMAIN_LIST));
            options.add(new ReconfAcceptOption());
        }
        if (kind == Retransmission.SOLICIT && config.rapidCommit()) {
            options.add(new RapidCommitOption());
        }
        for (long iaid : config.iaids()) {
            List<IaPrefixOption> prefixes = prefixesToSend(kind, iaid);
            if (kind != Retransmission.RELEASE || !prefixes.isEmpty()) {
                // T1, T2 and lifetimes are 0: the server decides them.
                options.add(new IaPdOption(iaid, 0, 0, List.<Dhcp6Option>copyOf(prefixes)));
            }
        }
        return new Dhcp6Message(kind.messageType, transactionId, options);
    }

    private List<IaPrefixOption> prefixesToSend(Retransmission kind, long iaid) {
        List<IaPrefixOption> prefixes = switch (kind) {
            // Held prefixes are hints in a Solicit (§18.2.1): only rediscovery after NoBinding still holds any.
            case SOLICIT, RENEW, REBIND -> activePrefixes(iaid);
            case REQUEST -> requestHints.getOrDefault(iaid, activePrefixes(iaid));
            case RELEASE -> releasing.getOrDefault(iaid, List.of());
        };
        if (prefixes.isEmpty() && kind != Retransmission.RELEASE && config.prefixLengthHint() > 0) {
            // §18.2.4: an IAPREFIX of :: with the wanted length is a prefix-length hint.
            return List.of(IaPrefixOption.of(0, 0, config.prefixLengthHint(), UNSPECIFIED));
        }
        return prefixes;
    }

    private List<IaPrefixOption> activePrefixes(long iaid) {
        return ias.get(iaid).active().stream()
                .map(held -> IaPrefixOption.of(0, 0, held.lease().prefixLength(), held.lease().prefixAddress()))
                .toList();
    }

    // ---------------------------------------------------------------- bindings

    private record ReplyOutcome(int granted, boolean noBinding) {
    }

    private ReplyOutcome applyReply(Dhcp6Message reply, Duid from, boolean rebind) {
        Instant wallNow = clock.now();
        long now = clock.nanoTime();
        DnsConfig dns = dnsConfig(reply);
        int granted = 0;
        boolean noBinding = false;
        for (IaBinding ia : ias.values()) {
            Optional<IaPdOption> iaPd = iaPd(reply, ia.iaid);
            if (iaPd.isEmpty()) {
                continue;
            }
            Optional<StatusCodeOption> status = iaPd.get().status();
            if (status.isPresent() && status.get().status().equals(StatusCode.NO_BINDING)) {
                log.info("{}: IA_PD {}: {}", iface, ia.iaid, describe(status.get()));
                ia.disown();
                noBinding = true;
            } else if (isFailure(status)) {
                log.info("{}: IA_PD {} not granted: {}", iface, ia.iaid, describe(status.get()));
                // Kea refuses a Renew for a prefix it gave away with NoPrefixAvail and that prefix at lifetime 0:
                // the status says nothing is granted, the prefix says this one has ended (§18.2.10.1).
                withdrawEnded(ia, iaPd.get());
            } else {
                granted += applyIa(ia, iaPd.get(), from, dns, wallNow, now, rebind);
            }
        }
        armExpiry();
        return new ReplyOutcome(granted, noBinding);
    }

    private static DnsConfig dnsConfig(Dhcp6Message reply) {
        List<String> servers = reply.option(DnsServersOption.class)
                .map(option -> option.servers().stream().map(NetUtil::toAddressString).toList()).orElse(List.of());
        List<String> domains = reply.option(DomainListOption.class).map(DomainListOption::domains).orElse(List.of());
        return servers.isEmpty() && domains.isEmpty() ? DnsConfig.NONE : new DnsConfig(servers, domains);
    }

    /** Withdraws the held prefixes an IA lists with valid lifetime 0. */
    private void withdrawEnded(IaBinding ia, IaPdOption iaPd) {
        for (IaPrefixOption prefix : iaPd.prefixes()) {
            IaBinding.Held ended = prefix.validLifetime() == 0 ? ia.remove(prefix.cidr()) : null;
            if (ended != null) {
                emit(LeaseEvent.Type.WITHDRAWN, ended.lease().withState(Lease.State.WITHDRAWN));
            }
        }
    }

    /** §18.2.10.1 for one IA: add, update and withdraw its prefixes; returns how many it grants. */
    private int applyIa(IaBinding ia, IaPdOption iaPd, Duid from, DnsConfig dns, Instant wallNow, long now,
            boolean rebind) {
        List<IaPrefixOption> prefixes = validPrefixes(iaPd);
        Set<String> activeBefore = new HashSet<>();
        ia.active().forEach(held -> activeBefore.add(held.lease().cidr()));
        boolean renumbered = false;
        List<Lease> withdrawn = new ArrayList<>();
        for (IaPrefixOption prefix : prefixes) {
            if (prefix.validLifetime() == 0) {
                IaBinding.Held ended = ia.remove(prefix.cidr());
                if (ended != null) {
                    renumbered |= ended.active();
                    withdrawn.add(ended.lease().withState(Lease.State.WITHDRAWN));
                }
            }
        }
        List<IaPrefixOption> granted = prefixes.stream().filter(p -> p.validLifetime() > 0).toList();
        if (granted.isEmpty()) {
            withdrawn.forEach(lease -> emit(LeaseEvent.Type.WITHDRAWN, lease));
            return 0;
        }
        long[] t1t2 = renewTimes(iaPd, granted);
        ia.times(deadline(now, t1t2[0]), deadline(now, t1t2[1]));
        List<Lease> fresh = new ArrayList<>();
        Set<String> grantedCidrs = new HashSet<>();
        for (IaPrefixOption prefix : granted) {
            grantedCidrs.add(prefix.cidr());
            IaBinding.Held old = ia.get(prefix.cidr());
            Lease lease = new Lease(ia.iaid, NetUtil.toAddressString(prefix.prefix()), prefix.prefixLength(),
                    PrefixExclusion.excludedCidr(iface, prefix),
                    prefix.preferredLifetime(), prefix.validLifetime(), t1t2[0], t1t2[1], from.toString(),
                    old != null ? old.lease().obtainedAt() : wallNow, wallNow,
                    prefix.validLifetime() == Lease.INFINITE ? null : wallNow.plusSeconds(prefix.validLifetime()),
                    Lease.State.ACTIVE, dns);
            ia.put(new IaBinding.Held(lease, deadline(now, prefix.validLifetime())));
            if (old != null) {
                emit(rebind ? LeaseEvent.Type.REBOUND : LeaseEvent.Type.RENEWED, lease);
            } else {
                fresh.add(lease);
            }
        }
        List<Lease> draining = new ArrayList<>();
        if (!fresh.isEmpty()) {
            // New prefixes while old ones went unmentioned: renumbering. The old ones stay valid
            // ("leave unchanged", §18.2.10.1) but are no longer renewed. Those a server said it has no
            // binding for end now: no server routes them to this client any more.
            for (String cidr : activeBefore) {
                IaBinding.Held old = ia.get(cidr);
                if (old != null && !grantedCidrs.contains(cidr) && ia.disowned(cidr)) {
                    ia.remove(cidr);
                    withdrawn.add(old.lease().withState(Lease.State.WITHDRAWN));
                    renumbered = true;
                } else if (old != null && !grantedCidrs.contains(cidr)) {
                    Lease drained = old.lease().withState(Lease.State.DRAINING);
                    ia.put(new IaBinding.Held(drained, old.validUntil()));
                    draining.add(drained);
                    renumbered = true;
                }
            }
        }
        for (Lease lease : fresh) {
            emit(renumbered ? LeaseEvent.Type.CHANGED : LeaseEvent.Type.BOUND, lease);
        }
        draining.forEach(lease -> emit(LeaseEvent.Type.DRAINING, lease));
        // The ended prefixes last, as the drained ones: a listener that follows the IA's current prefix learns of its
        // replacement first, and never sees the IA without a prefix in the middle of one Reply.
        withdrawn.forEach(lease -> emit(LeaseEvent.Type.WITHDRAWN, lease));
        return granted.size();
    }

    /**
     * T1 and T2 in seconds for an IA. The server's values unless 0, in which case the client picks
     * 0.5 and 0.8 of the shortest preferred lifetime (§14.2), never less than a second.
     */
    private static long[] renewTimes(IaPdOption iaPd, List<IaPrefixOption> granted) {
        long basis = granted.stream().mapToLong(IaPrefixOption::preferredLifetime).filter(p -> p > 0).min()
                .orElseGet(() -> granted.stream().mapToLong(IaPrefixOption::validLifetime).min().orElseThrow());
        long t1 = iaPd.t1() != 0 ? iaPd.t1() : fraction(basis, 5);
        long t2 = iaPd.t2() != 0 ? iaPd.t2() : fraction(basis, 8);
        if (t1 != Lease.INFINITE && t2 != Lease.INFINITE && t2 < t1) {
            t2 = t1;
        }
        return new long[] {t1, t2};
    }

    private static long fraction(long seconds, int tenths) {
        return seconds == Lease.INFINITE ? Lease.INFINITE : Math.max(1, seconds * tenths / 10);
    }

    private static long deadline(long now, long seconds) {
        return seconds == Lease.INFINITE ? Exchange.NO_DEADLINE : now + Duration.ofSeconds(seconds).toNanos();
    }

    /** The IA_PD for {@code iaid}, unless absent or with T1 > T2 > 0, which §21.21 says to discard. */
    private Optional<IaPdOption> iaPd(Dhcp6Message message, long iaid) {
        Optional<IaPdOption> iaPd = message.options(IaPdOption.class).stream().filter(ia -> ia.iaid() == iaid).findFirst();
        if (iaPd.isPresent() && iaPd.get().t1() > iaPd.get().t2() && iaPd.get().t2() > 0) {
            log.info("{}: ignoring IA_PD {} with T1 {} > T2 {}", iface, iaid, iaPd.get().t1(), iaPd.get().t2());
            return Optional.empty();
        }
        return iaPd;
    }

    /** The IA's prefixes, without those whose preferred lifetime exceeds the valid one (§21.22). */
    private List<IaPrefixOption> validPrefixes(IaPdOption iaPd) {
        return iaPd.prefixes().stream().filter(prefix -> {
            boolean valid = prefix.preferredLifetime() <= prefix.validLifetime();
            if (!valid) {
                log.info("{}: ignoring IAPREFIX {} with preferred lifetime {} > valid lifetime {}", iface,
                        prefix.cidr(), prefix.preferredLifetime(), prefix.validLifetime());
            }
            return valid;
        }).toList();
    }

    private Map<Long, List<IaPrefixOption>> offeredPrefixes(Dhcp6Message advertise) {
        Map<Long, List<IaPrefixOption>> offered = new LinkedHashMap<>();
        for (long iaid : config.iaids()) {
            iaPd(advertise, iaid).filter(ia -> !isFailure(ia.status())).ifPresent(ia -> {
                List<IaPrefixOption> prefixes = validPrefixes(ia).stream().filter(p -> p.validLifetime() > 0)
                        .map(p -> IaPrefixOption.of(0, 0, p.prefixLength(), p.prefix())).toList();
                if (!prefixes.isEmpty()) {
                    offered.put(iaid, prefixes);
                }
            });
        }
        return offered;
    }

    private void applySolMaxRt(Dhcp6Message message) {
        message.option(SolMaxRtOption.class).ifPresent(option -> {
            long seconds = option.seconds();
            if (seconds < Retransmission.SOL_MAX_RT_MIN_SECONDS || seconds > Retransmission.SOL_MAX_RT_MAX_SECONDS) {
                log.info("{}: ignoring SOL_MAX_RT {} s outside {}..{} s", iface, seconds,
                        Retransmission.SOL_MAX_RT_MIN_SECONDS, Retransmission.SOL_MAX_RT_MAX_SECONDS);
                return;
            }
            solMaxRt = Duration.ofSeconds(seconds);
            if (exchange != null && exchange.parameters() == Retransmission.SOLICIT) {
                exchange.maxTimeout(solMaxRt);
            }
        });
    }

    private void withdrawAll() {
        for (IaBinding ia : ias.values()) {
            for (IaBinding.Held held : ia.clear()) {
                emit(LeaseEvent.Type.WITHDRAWN, held.lease().withState(Lease.State.WITHDRAWN));
            }
        }
        timers.cancel(EXPIRY_TIMER);
    }

    private void restore(Lease lease, Instant wallNow, long now) {
        IaBinding ia = ias.get(lease.iaid());
        boolean usable = lease.state() == Lease.State.ACTIVE || lease.state() == Lease.State.DRAINING;
        boolean expired = lease.expiresAt() != null && !lease.expiresAt().isAfter(wallNow);
        String problem = ia == null ? "IAID not configured" : !usable ? "not in use" : expired ? "expired" : null;
        if (problem == null) {
            try {
                Duid.parse(lease.serverDuid());
            } catch (IllegalArgumentException e) {
                problem = "server DUID \"" + lease.serverDuid() + "\" is not hex";
            }
        }
        if (problem != null) {
            log.info("{}: not restoring {} lease {} of IA_PD {}: {}", iface, lease.state(), lease.cidr(), lease.iaid(),
                    problem);
            return;
        }
        long validUntil = lease.expiresAt() == null
                ? Exchange.NO_DEADLINE : now + Duration.between(wallNow, lease.expiresAt()).toNanos();
        ia.put(new IaBinding.Held(lease, validUntil));
        emit(LeaseEvent.Type.RESTORED, lease);
    }

    private void armExpiry() {
        long next = held().stream().mapToLong(IaBinding.Held::validUntil).min().orElse(Exchange.NO_DEADLINE);
        if (next == Exchange.NO_DEADLINE) {
            timers.cancel(EXPIRY_TIMER);
        } else {
            timers.start(EXPIRY_TIMER, Duration.ofNanos(next - clock.nanoTime()), this::expirePrefixes);
        }
    }

    private long renewAt() {
        return ias.values().stream().filter(IaBinding::hasActive).mapToLong(IaBinding::renewAt).min()
                .orElse(Exchange.NO_DEADLINE);
    }

    private long rebindAt() {
        return ias.values().stream().filter(IaBinding::hasActive).mapToLong(IaBinding::rebindAt).min()
                .orElse(Exchange.NO_DEADLINE);
    }

    private long lastExpiry() {
        return held().stream().mapToLong(IaBinding.Held::validUntil).max().orElse(Exchange.NO_DEADLINE);
    }

    private List<IaBinding.Held> held() {
        return ias.values().stream().flatMap(ia -> ia.held().stream()).toList();
    }

    private void emit(LeaseEvent.Type type, Lease lease) {
        log.info("{}: {} {} (IA_PD {}, valid {} s)", iface, type, lease.cidr(), lease.iaid(), lease.validLifetime());
        try {
            listener.onLeaseEvent(new LeaseEvent(type, lease));
        } catch (RuntimeException e) {
            log.error("{}: lease listener failed on {} {}", iface, type, lease.cidr(), e);
        }
    }

    private void drop(DropReason reason, Dhcp6Message message, String detail) {
        drops.merge(reason, 1L, Long::sum);
        log.debug("{}: dropped {} xid=0x{}: {} ({})", iface, message.type(),
                Integer.toHexString(message.transactionId()), reason, detail);
    }

    private static boolean isFailure(Optional<StatusCodeOption> status) {
        return status.isPresent() && !status.get().status().equals(StatusCode.SUCCESS);
    }

    private static String describe(StatusCodeOption status) {
        return status.status() + (status.message().isEmpty() ? "" : " \"" + status.message() + "\"");
    }

    private static Inet6Address unspecified() {
        try {
            return Inet6Address.getByAddress(null, new byte[16], -1);
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
