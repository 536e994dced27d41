package io.kubepd.agent.warmup;

import io.kubepd.agent.codec.Dhcp6Codec;
import io.kubepd.agent.codec.Dhcp6Message;
import io.kubepd.agent.codec.Duid;
import io.kubepd.agent.codec.MessageType;
import io.kubepd.agent.codec.option.ClientIdOption;
import io.kubepd.agent.codec.option.Dhcp6Option;
import io.kubepd.agent.codec.option.IaPdOption;
import io.kubepd.agent.codec.option.IaPrefixOption;
import io.kubepd.agent.codec.option.PreferenceOption;
import io.kubepd.agent.codec.option.RapidCommitOption;
import io.kubepd.agent.codec.option.ServerIdOption;
import java.net.Inet6Address;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The warm-up's DHCPv6 server, in memory: decodes what the client sent and answers as a server delegating one prefix
 * from the documentation range would, in wire format. Just enough to walk the client through its exchanges.
 */
final class WarmupServer {

    /** The server's address: answers come from fe80::2. */
    static final Inet6Address LINK_LOCAL = address(
            new byte[] {(byte) 0xfe, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02});
    private static final Duid DUID = Duid.ll(new byte[] {0x02, 0, 0, 0, 0, 0x02});
    private static final Inet6Address PREFIX = address(
            new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});

    private final boolean rapidCommit;
    private final int preference;

    /**
     * @param rapidCommit answer a Solicit that offers Rapid Commit with a Reply
     * @param preference the Preference option of Advertises, or -1 for none
     */
    WarmupServer(boolean rapidCommit, int preference) {
        this.rapidCommit = rapidCommit;
        this.preference = preference;
    }

    /** The answer to the datagram a client sent, in wire format, if a server answers it. */
    Optional<byte[]> answer(byte[] datagram) {
        Dhcp6Message request = Dhcp6Codec.decode(datagram);
        MessageType type = request.type();
        if (!type.equals(MessageType.SOLICIT) && !type.equals(MessageType.REQUEST)
                && !type.equals(MessageType.RENEW) && !type.equals(MessageType.REBIND)) {
            return Optional.empty();
        }
        List<Dhcp6Option> options = new ArrayList<>();
        options.add(request.option(ClientIdOption.class).orElseThrow());
        options.add(new ServerIdOption(DUID));
        MessageType answer = MessageType.REPLY;
        if (type.equals(MessageType.SOLICIT)) {
            if (rapidCommit && request.option(RapidCommitOption.class).isPresent()) {
                options.add(new RapidCommitOption());
            } else {
                answer = MessageType.ADVERTISE;
            }
            if (preference >= 0) {
                options.add(new PreferenceOption(preference));
            }
        }
        for (IaPdOption requested : request.options(IaPdOption.class)) {
            options.add(IaPdOption.of(requested.iaid(), 1800, 2880, IaPrefixOption.of(3600, 7200, 56, PREFIX)));
        }
        return Optional.of(Dhcp6Codec.encode(new Dhcp6Message(answer, request.transactionId(), options)));
    }

    private static Inet6Address address(byte[] bytes) {
        try {
            return Inet6Address.getByAddress(null, bytes, null);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are an IPv6 address", e);
        }
    }
}
