package io.kubepd.agent.codec.option;

import io.kubepd.agent.codec.OptionCode;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Optional;

/**
 * Identity Association for Prefix Delegation option (RFC 8415 §21.21): IAID, T1, T2 (seconds) and
 * the encapsulated options, normally IAPREFIX and STATUS_CODE.
 */
public record IaPdOption(long iaid, long t1, long t2, List<Dhcp6Option> options) implements Dhcp6Option {
    /** The all-ones time value that means infinity for T1, T2 and lifetimes (RFC 8415 §7.7). */
    public static final long INFINITY = Uint32.MAX;

    public IaPdOption {
        Uint32.check(iaid, "IAID");
        Uint32.check(t1, "T1");
        Uint32.check(t2, "T2");
        options = List.copyOf(options);
    }

    public static IaPdOption of(long iaid, long t1, long t2, Dhcp6Option... options) {
        return new IaPdOption(iaid, t1, t2, List.of(options));
    }

    /** The delegated prefixes, in wire order. */
    public List<IaPrefixOption> prefixes() {
        return options.stream().filter(IaPrefixOption.class::isInstance).map(IaPrefixOption.class::cast).toList();
    }

    /** The IA-level status, if the server sent one. */
    public Optional<StatusCodeOption> status() {
        return options.stream().filter(StatusCodeOption.class::isInstance).map(StatusCodeOption.class::cast).findFirst();
    }

    @Override
    public OptionCode code() {
        return OptionCode.IA_PD;
    }

    @Override
    public void encodeData(ByteBuf out) {
        out.writeInt((int) iaid).writeInt((int) t1).writeInt((int) t2);
        Dhcp6Option.encodeAll(options, out);
    }
}
