package io.kubepd.agent.codec.option;

import io.kubepd.agent.codec.OptionCode;
import io.netty.buffer.ByteBuf;
import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * IA Prefix option (RFC 8415 §21.22): one delegated prefix with its preferred and valid lifetimes
 * (seconds, {@link IaPdOption#INFINITY} for ever) and encapsulated options such as PD_EXCLUDE.
 */
public record IaPrefixOption(
        long preferredLifetime, long validLifetime, int prefixLength, Inet6Address prefix, List<Dhcp6Option> options)
        implements Dhcp6Option {
    public IaPrefixOption {
        Uint32.check(preferredLifetime, "preferred lifetime");
        Uint32.check(validLifetime, "valid lifetime");
        if (prefixLength < 0 || prefixLength > 128) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " outside 0..128");
        }
        Objects.requireNonNull(prefix, "prefix");
        options = List.copyOf(options);
    }

    public static IaPrefixOption of(
            long preferredLifetime, long validLifetime, int prefixLength, Inet6Address prefix, Dhcp6Option... options) {
        return new IaPrefixOption(preferredLifetime, validLifetime, prefixLength, prefix, List.of(options));
    }

    /** The prefix-level status, if the server sent one. */
    public Optional<StatusCodeOption> status() {
        return options.stream().filter(StatusCodeOption.class::isInstance).map(StatusCodeOption.class::cast).findFirst();
    }

    /** The Prefix Exclude options in it (RFC 6603 allows one; more are the server's mistake). */
    public List<PdExcludeOption> pdExcludes() {
        return options.stream().filter(PdExcludeOption.class::isInstance).map(PdExcludeOption.class::cast).toList();
    }

    /** The prefix in CIDR notation, RFC 5952 text: {@code 2001:db8:1::/56}. */
    public String cidr() {
        return NetUtil.toAddressString(prefix) + "/" + prefixLength;
    }

    @Override
    public OptionCode code() {
        return OptionCode.IAPREFIX;
    }

    @Override
    public void encodeData(ByteBuf out) {
        out.writeInt((int) preferredLifetime).writeInt((int) validLifetime).writeByte(prefixLength)
                .writeBytes(prefix.getAddress());
        Dhcp6Option.encodeAll(options, out);
    }
}
