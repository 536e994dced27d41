package io.kubepd.agent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubepd.agent.client.Lease;
import java.io.PrintStream;
import java.util.Locale;

/** Prints each {@link LeaseChange} as one JSON object on one line: the standalone mode's machine-readable output. */
final class EventPrinter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;

    EventPrinter(PrintStream out) {
        this.out = out;
    }

    synchronized void print(LeaseChange change) {
        out.println(toJson(change));
        out.flush();
    }

    static String toJson(LeaseChange change) {
        Lease lease = change.lease();
        ObjectNode line = JSON.createObjectNode()
                .put("time", change.time().toString())
                .put("interface", change.interfaceName())
                .put("event", change.eventName())
                .put("prefix", lease.cidr())
                .put("excludedPrefix", lease.excludedPrefix())
                .put("oldPrefix", change.oldPrefix())
                .put("newPrefix", change.newPrefix())
                .put("iaid", lease.iaid())
                .put("state", lease.state().name().toLowerCase(Locale.ROOT))
                .put("preferredLifetime", lease.preferredLifetime())
                .put("validLifetime", lease.validLifetime())
                .put("t1", lease.t1())
                .put("t2", lease.t2())
                .put("serverDuid", lease.serverDuid())
                .put("renewedAt", lease.renewedAt().toString())
                .put("expiresAt", lease.expiresAt() == null ? null : lease.expiresAt().toString());
        lease.dns().servers().forEach(line.putArray("dnsServers")::add);
        lease.dns().searchList().forEach(line.putArray("domainSearchList")::add);
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }
}
