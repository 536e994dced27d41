package io.kubepd.agent.codec;

import static io.kubepd.agent.codec.AnnotatedHex.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DuidTest {
    private static final byte[] MAC = bytes("02 42 ac 11 00 02");

    @Test
    void linkLayerDuid() {
        Duid duid = Duid.ll(MAC);
        assertThat(duid.bytes()).isEqualTo(bytes("""
                00 03              # DUID-LL
                00 01              # hardware type Ethernet
                02 42 ac 11 00 02  # link-layer address
                """));
        assertThat(duid.type()).isEqualTo(DuidType.LL);
        assertThat(duid).hasToString("00:03:00:01:02:42:ac:11:00:02");
    }

    @Test
    void linkLayerPlusTimeCountsSecondsSince2000() {
        Duid duid = Duid.llt(Instant.parse("2000-01-01T00:01:40Z"), MAC);
        assertThat(duid.bytes()).isEqualTo(bytes("""
                00 01              # DUID-LLT
                00 01              # hardware type Ethernet
                00 00 00 64        # 100 s after 2000-01-01T00:00:00Z
                02 42 ac 11 00 02  # link-layer address
                """));
    }

    @Test
    void enterpriseNumberDuidMatchesTheRfcExample() {
        // RFC 8415 Figure 6: enterprise number 32473, identifier 0x0CC084D303000912.
        Duid duid = Duid.en(32473, bytes("0c c0 84 d3 03 00 09 12"));
        assertThat(duid.bytes()).isEqualTo(bytes("00 02  00 00 7e d9  0c c0 84 d3 03 00 09 12"));
        assertThat(duid.type()).isEqualTo(DuidType.EN);
    }

    @Test
    void uuidDuid() {
        Duid duid = Duid.uuid(UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"));
        assertThat(duid.bytes()).isEqualTo(bytes("00 04  00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff"));
        assertThat(duid.type()).isEqualTo(DuidType.UUID);
    }

    @Test
    void parseReadsWhatToStringWritesAndPlainHex() {
        Duid duid = Duid.ll(MAC);
        assertThat(Duid.parse(duid.toString())).isEqualTo(duid);
        assertThat(Duid.parse("000300010242ac110002")).isEqualTo(duid);
        assertThat(Duid.parse("00:ff:01").type().isKnown()).isFalse();
    }

    @Test
    void lengthMustBeThreeTo130Bytes() {
        assertThatThrownBy(() -> Duid.of(new byte[2])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DUID length 2");
        assertThatThrownBy(() -> Duid.of(new byte[131])).isInstanceOf(IllegalArgumentException.class);
        assertThat(Duid.of(new byte[130]).length()).isEqualTo(130);
        assertThatThrownBy(() -> Duid.parse("00:03:zz")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bytesAreDefensivelyCopied() {
        byte[] raw = bytes("00 03 00 01 02 42 ac 11 00 02");
        Duid duid = Duid.of(raw);
        raw[9] = 0;
        duid.bytes()[9] = 0;
        assertThat(duid).isEqualTo(Duid.ll(MAC));
    }
}
