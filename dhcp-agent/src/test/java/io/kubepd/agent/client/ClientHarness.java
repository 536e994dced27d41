package io.kubepd.agent.client;

import io.kubepd.agent.codec.Dhcp6Codec;
import io.kubepd.agent.codec.Dhcp6Message;
import io.kubepd.agent.codec.Duid;
import io.kubepd.agent.codec.MessageType;
import io.kubepd.agent.codec.option.ElapsedTimeOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A client wired to virtual time, a recording sender and any number of fake servers. Every message
 * goes through the real codec on the way out and in, so the tests also cover encoding.
 */
final class ClientHarness {
    static final Duid CLIENT_DUID = Duid.ll(new byte[] {2, 0x42, (byte) 0xac, 0x11, 0, 2});
    static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    /** A message the client sent, with the virtual time it was sent at. */
    record Sent(Dhcp6Message message, Destination destination, Duration at) {
        MessageType type() {
            return message.type();
        }

        int elapsedCentiseconds() {
            return message.option(ElapsedTimeOption.class).orElseThrow().centiseconds();
        }
    }

    final VirtualScheduler time = new VirtualScheduler(START);
    final List<Sent> sent = new ArrayList<>();
    final List<LeaseEvent> events = new ArrayList<>();
    final List<FakeServer> servers = new ArrayList<>();
    final Dhcp6Client client;

    ClientHarness(Dhcp6ClientConfig config, long seed) {
        client = new Dhcp6Client(config, time, time, new Random(seed), this::send, events::add);
    }

    ClientHarness(long... iaids) {
        this(config(false, iaids), 1);
    }

    static Dhcp6ClientConfig config(boolean rapidCommit, long... iaids) {
        List<Long> ids = new ArrayList<>();
        for (long iaid : iaids) {
            ids.add(iaid);
        }
        return new Dhcp6ClientConfig("eth9", CLIENT_DUID, ids, 56, rapidCommit, false);
    }

    FakeServer server(Duid duid, String address) {
        FakeServer server = new FakeServer(duid, address);
        servers.add(server);
        return server;
    }

    /**
     * How long a message takes from the client's send to the wire, e.g. a cold first send; zero means the
     * datagram is written within the send call.
     */
    Duration writeLatency = Duration.ZERO;

    private void send(Dhcp6Message message, Destination destination, Runnable written) {
        if (writeLatency.isZero()) {
            write(message, destination);
            written.run();
        } else {
            time.schedule("write", writeLatency, () -> {
                write(message, destination);
                written.run();
            });
        }
    }

    private void write(Dhcp6Message message, Destination destination) {
        Dhcp6Message onTheWire = Dhcp6Codec.decode(Dhcp6Codec.encode(message));
        sent.add(new Sent(onTheWire, destination, time.elapsed()));
        for (FakeServer server : servers) {
            server.answer(onTheWire).ifPresent(answer -> time.schedule("network", server.latency,
                    () -> deliver(answer, server)));
        }
    }

    void deliver(Dhcp6Message message, FakeServer from) {
        client.onMessage(Dhcp6Codec.decode(Dhcp6Codec.encode(message)), from.address);
    }

    void advance(Duration duration) {
        time.advance(duration);
    }

    List<Sent> sent(MessageType type) {
        return sent.stream().filter(s -> s.type().equals(type)).toList();
    }

    Sent last() {
        return sent.get(sent.size() - 1);
    }

    List<LeaseEvent.Type> eventTypes() {
        return events.stream().map(LeaseEvent::type).toList();
    }

    LeaseEvent lastEvent() {
        return events.get(events.size() - 1);
    }

    /** Pending timers, without the "network" deliveries and writes in flight. */
    List<String> timers() {
        return time.pending().stream().filter(name -> !name.equals("network") && !name.equals("write")).toList();
    }
}
