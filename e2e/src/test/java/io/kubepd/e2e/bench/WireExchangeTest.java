package io.kubepd.e2e.bench;

import static io.kubepd.e2e.bench.PcapReader.CapturedMessage.ADVERTISE;
import static io.kubepd.e2e.bench.PcapReader.CapturedMessage.REPLY;
import static io.kubepd.e2e.bench.PcapReader.CapturedMessage.REQUEST;
import static io.kubepd.e2e.bench.PcapReader.CapturedMessage.SOLICIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubepd.e2e.bench.PcapReader.CapturedMessage;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class WireExchangeTest {
  private static final long MS = 1_000_000;

  @Test
  void rapidCommitIsSolicitToItsReply() {
    WireExchange exchange = WireExchange.of(List.of(
        client(0, SOLICIT, 1), server(MS / 2, REPLY, 1))).orElseThrow();

    assertThat(exchange.wireNanos()).isEqualTo(MS / 2);
    assertThat(exchange.serverNanos()).isEqualTo(MS / 2);
    assertThat(exchange.solicits()).isEqualTo(1);
    assertThat(exchange.requestAfterSolicitNanos()).isEmpty();
  }

  @Test
  void fourMessageRunsToTheReplyOfTheRequest() {
    WireExchange exchange = WireExchange.of(List.of(
        client(0, SOLICIT, 1), server(MS, ADVERTISE, 1), server(2 * MS, ADVERTISE, 1),
        client(1050 * MS, REQUEST, 2), server(1051 * MS, REPLY, 2), server(1052 * MS, REPLY, 2))).orElseThrow();

    assertThat(exchange.wireNanos()).isEqualTo(1051 * MS);
    assertThat(exchange.requestAfterSolicitNanos()).isEqualTo(OptionalLong.of(1050 * MS));
    assertThat(exchange.requestAfterAdvertiseNanos()).isEqualTo(OptionalLong.of(1049 * MS));
    // The duplicate Advertise counts as server time too: it is time the server spent answering.
    assertThat(exchange.serverNanos()).isEqualTo(4 * MS);
  }

  @Test
  void countsRetransmittedSolicitsAndMeasuresFromTheFirst() {
    WireExchange exchange = WireExchange.of(List.of(
        client(0, SOLICIT, 7), client(1100 * MS, SOLICIT, 7), server(1101 * MS, REPLY, 7))).orElseThrow();

    assertThat(exchange.solicits()).isEqualTo(2);
    assertThat(exchange.wireNanos()).isEqualTo(1101 * MS);
    assertThat(exchange.serverNanos()).isEqualTo(MS);
  }

  @Test
  void noBindingReplyMeansNoExchange() {
    assertThat(WireExchange.of(List.of(client(0, SOLICIT, 1), server(MS, ADVERTISE, 1)))).isEmpty();
    assertThat(WireExchange.of(List.of(server(MS, REPLY, 9)))).isEmpty();
  }

  private static CapturedMessage client(long at, int type, int xid) {
    return new CapturedMessage(at, type, xid, true);
  }

  private static CapturedMessage server(long at, int type, int xid) {
    return new CapturedMessage(at, type, xid, false);
  }
}
