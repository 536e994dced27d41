package io.kubepd.agent.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class ClientStateTest {
    @Test
    void renewOnlyFollowsBoundAndNothingFollowsStopped() {
        assertThat(EnumSet.allOf(ClientState.class)).allSatisfy(previous ->
                assertThat(ClientState.RENEWING.canBeEnteredFrom(previous)).isEqualTo(previous == ClientState.BOUND));
        assertThat(EnumSet.allOf(ClientState.class)).allSatisfy(next ->
                assertThat(next.canBeEnteredFrom(ClientState.STOPPED)).isFalse());
        assertThat(ClientState.INIT.canBeEnteredFrom(ClientState.STOPPED)).isFalse();
    }

    @Test
    void restartRebindsAndEveryRunningStateCanStop() {
        assertThat(ClientState.REBINDING.canBeEnteredFrom(ClientState.INIT)).isTrue();
        assertThat(ClientState.BOUND.canBeEnteredFrom(ClientState.INIT)).isFalse();
        assertThat(EnumSet.complementOf(EnumSet.of(ClientState.STOPPED))).allSatisfy(previous ->
                assertThat(ClientState.STOPPED.canBeEnteredFrom(previous)).isTrue());
    }
}
