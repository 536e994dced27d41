package io.kubepd.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LeaseNamesTest {
    @Test
    void combinesNodeInterfaceAndIaid() {
        assertThat(LeaseNames.of("worker-1", "eth0", 0x1a2b3c4dL)).isEqualTo("worker-1-eth0-1a2b3c4d");
    }

    @Test
    void makesInterfaceNamesValidInAnObjectName() {
        assertThat(LeaseNames.of("Worker.Example", "eth0@if7", 1)).isEqualTo("worker.example-eth0-if7-1");
    }
}
