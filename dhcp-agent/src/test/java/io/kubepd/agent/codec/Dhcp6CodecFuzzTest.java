package io.kubepd.agent.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the decoder. Under plain {@code mvn test} Jazzer replays the seed corpus in
 * {@code src/test/resources/io/kubepd/agent/codec/Dhcp6CodecFuzzTestInputs/<method>/} as
 * regression tests; with {@code JAZZER_FUZZ=1} it fuzzes for {@code maxDuration}.
 */
class Dhcp6CodecFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void decodeRejectsOrRoundTrips(byte[] input) {
        Dhcp6Message message;
        try {
            message = Dhcp6Codec.decode(input);
        } catch (MalformedMessageException expected) {
            return;
        }
        // Any other exception fails the test. What decodes must re-encode to the same bytes,
        // which also makes decode(encode(decode(x))) equal to decode(x).
        byte[] encoded = Dhcp6Codec.encode(message);
        assertThat(encoded).isEqualTo(input);
        assertThat(Dhcp6Codec.decode(encoded)).isEqualTo(message);
    }
}
