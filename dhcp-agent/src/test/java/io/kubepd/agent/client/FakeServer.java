package io.kubepd.agent.client;

import io.kubepd.agent.codec.Dhcp6Message;
import io.kubepd.agent.codec.Duid;
import io.kubepd.agent.codec.MessageType;
import io.kubepd.agent.codec.OptionCode;
import io.kubepd.agent.codec.StatusCode;
import io.kubepd.agent.codec.option.AuthOption;
import io.kubepd.agent.codec.option.ClientIdOption;
import io.kubepd.agent.codec.option.Dhcp6Option;
import io.kubepd.agent.codec.option.IaPdOption;
import io.kubepd.agent.codec.option.IaPrefixOption;
import io.kubepd.agent.codec.option.OroOption;
import io.kubepd.agent.codec.option.PdExcludeOption;
import io.kubepd.agent.codec.option.PreferenceOption;
import io.kubepd.agent.codec.option.RapidCommitOption;
import io.kubepd.agent.codec.option.ReconfMsgOption;
import io.kubepd.agent.codec.option.ServerIdOption;
import io.kubepd.agent.codec.option.StatusCodeOption;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A scriptable DHCPv6 server for client unit tests: it answers what the client sends, after a
 * latency, as configured by its public fields. Not a real server: just enough to drive the client.
 */
final class FakeServer {
    final Duid duid;
    final Inet6Address address;
    Duration latency = Duration.ofMillis(5);
    /** Message types it answers; empty: the server is gone. */
    final Set<Kind> answers = EnumSet.allOf(Kind.class);
    /** Preference option value, or -1 for none. */
    int preference = -1;
    boolean rapidCommit;
    long t1 = 1000;
    long t2 = 1600;
    long preferred = 2000;
    long valid = 3000;
    /** Delegated prefix per IAID, e.g. "2001:db8:1::/56". */
    final Map<Long, String> prefixes = new HashMap<>();
    /**
     * Prefix excluded from the delegated one per IAID (RFC 6603), e.g. "2001:db8:1:100::/64"; sent, as Kea does,
     * only to a client whose ORO asks for PD_EXCLUDE.
     */
    final Map<Long, String> excludedPrefixes = new HashMap<>();
    /** IA-level status per IAID instead of a prefix. */
    final Map<Long, StatusCode> iaStatus = new HashMap<>();
    /** Top-level status added to Replies, or null. */
    StatusCode replyStatus;
    /** Options appended to every Advertise and Reply. */
    final List<Dhcp6Option> extraOptions = new ArrayList<>();
    /** Replaces the default IA_PD of an answer, given the IAID and the answered message type. */
    BiFunction<Long, MessageType, IaPdOption> iaPd = this::defaultIaPd;
    /** If set, Replies carry this RKAP reconfigure key. */
    byte[] reconfigureKey;
    long replayCounter = 100;
    private boolean excludeRequested;

    enum Kind { SOLICIT, REQUEST, RENEW, REBIND, RELEASE }

    FakeServer(Duid duid, String address) {
        this.duid = duid;
        this.address = ip(address);
    }

    static Inet6Address ip(String text) {
        try {
            return (Inet6Address) InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    void goAway() {
        answers.clear();
    }

    /** The answer to a client message, if this server answers it. */
    Optional<Dhcp6Message> answer(Dhcp6Message request) {
        Kind kind = Kind.valueOf(request.type().name());
        if (!answers.contains(kind)) {
            return Optional.empty();
        }
        Optional<Duid> addressedTo = request.option(ServerIdOption.class).map(ServerIdOption::duid);
        if (addressedTo.isPresent() && !addressedTo.get().equals(duid)) {
            return Optional.empty();
        }
        List<Dhcp6Option> options = new ArrayList<>();
        options.add(request.option(ClientIdOption.class).orElseThrow());
        options.add(new ServerIdOption(duid));
        MessageType type = MessageType.REPLY;
        if (kind == Kind.SOLICIT) {
            boolean rapid = rapidCommit && request.option(RapidCommitOption.class).isPresent();
            if (rapid) {
                options.add(new RapidCommitOption());
            } else {
                type = MessageType.ADVERTISE;
            }
            if (preference >= 0) {
                options.add(new PreferenceOption(preference));
            }
        }
        if (replyStatus != null && type.equals(MessageType.REPLY)) {
            options.add(new StatusCodeOption(replyStatus, "scripted"));
        }
        excludeRequested = request.option(OroOption.class)
                .map(oro -> oro.requested().contains(OptionCode.PD_EXCLUDE)).orElse(false);
        if (kind != Kind.RELEASE) {
            for (IaPdOption requested : request.options(IaPdOption.class)) {
                IaPdOption answer = iaPd.apply(requested.iaid(), request.type());
                if (answer != null) {
                    options.add(answer);
                }
            }
        }
        if (reconfigureKey != null && type.equals(MessageType.REPLY)) {
            options.add(AuthOption.rkap(++replayCounter, AuthOption.RKAP_TYPE_KEY, reconfigureKey));
        }
        options.addAll(extraOptions);
        return Optional.of(new Dhcp6Message(type, request.transactionId(), options));
    }

    /** Answers every IA_PD of {@code refused} messages with {@code status} instead of a prefix; others as before. */
    void refuse(MessageType refused, StatusCode status) {
        iaPd = (iaid, answered) -> answered.equals(refused)
                ? IaPdOption.of(iaid, 0, 0, new StatusCodeOption(status, "scripted"))
                : defaultIaPd(iaid, answered);
    }

    IaPdOption defaultIaPd(long iaid, MessageType answered) {
        StatusCode status = iaStatus.get(iaid);
        if (status != null) {
            return IaPdOption.of(iaid, 0, 0, new StatusCodeOption(status, "scripted"));
        }
        String cidr = prefixes.get(iaid);
        if (cidr == null) {
            return null;
        }
        String excluded = excludedPrefixes.get(iaid);
        if (excluded != null && excludeRequested) {
            return IaPdOption.of(iaid, t1, t2, prefix(cidr, preferred, valid, pdExclude(cidr, excluded)));
        }
        return IaPdOption.of(iaid, t1, t2, prefix(cidr, preferred, valid));
    }

    static IaPrefixOption prefix(String cidr, long preferred, long valid, Dhcp6Option... options) {
        String[] parts = cidr.split("/");
        return IaPrefixOption.of(preferred, valid, Integer.parseInt(parts[1]), ip(parts[0]), options);
    }

    /** The PD_EXCLUDE that takes {@code excluded} out of {@code delegated}, both in CIDR notation. */
    static PdExcludeOption pdExclude(String delegated, String excluded) {
        String[] outer = delegated.split("/");
        String[] inner = excluded.split("/");
        return PdExcludeOption.excluding(ip(outer[0]), Integer.parseInt(outer[1]), ip(inner[0]),
                Integer.parseInt(inner[1]));
    }

    /** A Reconfigure signed with the key this server handed out, with the next counter value. */
    Dhcp6Message reconfigure(Duid client, MessageType wanted) {
        return reconfigure(client, wanted, ++replayCounter, reconfigureKey);
    }

    /** A Reconfigure signed as RFC 8415 §20.4.2 says, with any counter and key. */
    Dhcp6Message reconfigure(Duid client, MessageType wanted, long replay, byte[] key) {
        AuthOption placeholder = AuthOption.rkap(replay, AuthOption.RKAP_TYPE_HMAC_MD5, new byte[16]);
        Dhcp6Message unsigned = Dhcp6Message.of(MessageType.RECONFIGURE, 0,
                new ServerIdOption(duid), new ClientIdOption(client), new ReconfMsgOption(wanted), placeholder);
        byte[] digest = ReconfigureKeys.digest(key, unsigned, placeholder);
        return Dhcp6Message.of(MessageType.RECONFIGURE, 0,
                new ServerIdOption(duid), new ClientIdOption(client), new ReconfMsgOption(wanted),
                AuthOption.rkap(replay, AuthOption.RKAP_TYPE_HMAC_MD5, digest));
    }
}
