package io.kubepd.agent.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the decoder. Under plain {@code mvn test} Jazzer replays the seed corpus in
 * {@code src/test/resources/io/kubepd/agent/codec/Dhcp6CodecFuzzTestInputs/<method>/} as
 * regression tests. To fuzz for {@code maxDuration}, e.g. in CI:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl dhcp-agent test -Dtest=Dhcp6CodecFuzzTest}; a failing input is
 * written into that directory, where it becomes a regression test once committed.
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
