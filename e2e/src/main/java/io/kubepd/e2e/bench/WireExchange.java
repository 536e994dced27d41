package io.kubepd.e2e.bench;

import static io.kubepd.e2e.bench.PcapReader.CapturedMessage.ADVERTISE;
import static io.kubepd.e2e.bench.PcapReader.CapturedMessage.REPLY;
import static io.kubepd.e2e.bench.PcapReader.CapturedMessage.REQUEST;
import static io.kubepd.e2e.bench.PcapReader.CapturedMessage.SOLICIT;

import io.kubepd.e2e.bench.PcapReader.CapturedMessage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What the wire shows of one run, from the client's first Solicit to the Reply that delegated its prefix (to the
 * Solicit with Rapid Commit, else to the Request). Times are epoch nanoseconds from the capture.
 *
 * @param serverNanos time Kea took: from each client message to the server's answer with the same transaction id
 */
record WireExchange(long firstSolicit, long reply, int solicits, OptionalLong advertise, OptionalLong request,
    long serverNanos) {

  /** First Solicit to the binding Reply. */
  long wireNanos() {
    return reply - firstSolicit;
  }

  /** First Solicit to the Request: the time the client collected Advertises (4-message exchange only). */
  OptionalLong requestAfterSolicitNanos() {
    return request.isPresent() ? OptionalLong.of(request.getAsLong() - firstSolicit) : OptionalLong.empty();
  }

  /** Advertise to Request: the client's own reaction time plus any deliberate wait. */
  OptionalLong requestAfterAdvertiseNanos() {
    return request.isPresent() && advertise.isPresent()
        ? OptionalLong.of(request.getAsLong() - advertise.getAsLong()) : OptionalLong.empty();
  }

  /** The exchange in {@code messages} (one run's time window, oldest first), if it reached a binding Reply. */
  static Optional<WireExchange> of(List<CapturedMessage> messages) {
    Long firstSolicit = null;
    Long advertise = null;
    Long request = null;
    int solicits = 0;
    long server = 0;
    Map<Integer, Long> lastClientMessage = new HashMap<>();
    Set<Integer> binding = new HashSet<>();
    for (CapturedMessage m : messages) {
      if (m.fromClient()) {
        lastClientMessage.put(m.transactionId(), m.epochNanos());
        if (m.type() == SOLICIT) {
          solicits++;
          firstSolicit = firstSolicit == null ? m.epochNanos() : firstSolicit;
          binding.add(m.transactionId());
        } else if (m.type() == REQUEST && request == null) {
          request = m.epochNanos();
          binding.add(m.transactionId());
        }
        continue;
      }
      Long asked = lastClientMessage.get(m.transactionId());
      if (firstSolicit == null || asked == null) {
        continue;
      }
      server += m.epochNanos() - asked;
      if (m.type() == ADVERTISE && advertise == null) {
        advertise = m.epochNanos();
      } else if (m.type() == REPLY && binding.contains(m.transactionId())) {
        return Optional.of(new WireExchange(firstSolicit, m.epochNanos(), solicits, optional(advertise),
            optional(request), server));
      }
    }
    return Optional.empty();
  }

  private static OptionalLong optional(Long value) {
    return value == null ? OptionalLong.empty() : OptionalLong.of(value);
  }
}
