package io.kubepd.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubepd.agent.client.DropReason;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentRunMetricsTest {
    @Test
    void exportsEveryDropReasonOfTheClientWithZerosPerInterface() {
        StringBuilder out = new StringBuilder();

        AgentRun.appendClientDrops(out, "eth0", Map.of(DropReason.WRONG_CLIENT_ID, 3L));
        AgentRun.appendClientDrops(out, "eth1", Map.of());

        assertThat(out.toString().lines())
                .hasSize(2 * DropReason.values().length)
                .contains("kubepd_agent_dhcp_dropped_total{interface=\"eth0\",reason=\"wrong_client_id\"} 3",
                        "kubepd_agent_dhcp_dropped_total{interface=\"eth0\",reason=\"not_running\"} 0",
                        "kubepd_agent_dhcp_dropped_total{interface=\"eth1\",reason=\"wrong_client_id\"} 0",
                        "kubepd_agent_dhcp_dropped_total{interface=\"eth1\",reason=\"unauthenticated_reconfigure\"} 0");
    }
}
