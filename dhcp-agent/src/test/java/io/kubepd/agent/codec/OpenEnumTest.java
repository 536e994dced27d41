package io.kubepd.agent.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OpenEnumTest {
    @Test
    void knownCodesResolveToTheirConstants() {
        assertThat(MessageType.valueOf(7)).isSameAs(MessageType.REPLY);
        assertThat(OptionCode.valueOf(25)).isSameAs(OptionCode.IA_PD);
        assertThat(StatusCode.valueOf(6)).isSameAs(StatusCode.NO_PREFIX_AVAIL);
        assertThat(DuidType.valueOf(3)).isSameAs(DuidType.LL);
        assertThat(StatusCode.NO_BINDING.name()).isEqualTo("NoBinding");
        assertThat(MessageType.INFORMATION_REQUEST).hasToString("INFORMATION-REQUEST");
    }

    @Test
    void unknownCodesKeepTheirNumberAndCompareByIt() {
        OptionCode unknown = OptionCode.valueOf(4242);
        assertThat(unknown.isKnown()).isFalse();
        assertThat(unknown.code()).isEqualTo(4242);
        assertThat(unknown).hasToString("UNKNOWN(4242)").isEqualTo(OptionCode.valueOf(4242));
        assertThat(MessageType.valueOf(99)).isNotEqualTo(MessageType.valueOf(98));
        // Same number, different enum: not equal.
        assertThat((Object) StatusCode.valueOf(1)).isNotEqualTo(MessageType.valueOf(1));
    }

    @Test
    void codesOutsideTheirFieldAreRejected() {
        assertThatThrownBy(() -> MessageType.valueOf(256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OptionCode.valueOf(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StatusCode.valueOf(0x10000)).isInstanceOf(IllegalArgumentException.class);
    }
}
