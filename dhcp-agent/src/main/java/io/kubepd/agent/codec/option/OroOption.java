package io.kubepd.agent.codec.option;

import io.kubepd.agent.codec.OptionCode;
import io.netty.buffer.ByteBuf;
import java.util.List;

/** Option Request option (RFC 8415 §21.7): the option codes the client asks the server for. */
public record OroOption(List<OptionCode> requested) implements Dhcp6Option {
    public OroOption {
        requested = List.copyOf(requested);
    }

    public static OroOption of(OptionCode... requested) {
        return new OroOption(List.of(requested));
    }

    @Override
    public OptionCode code() {
        return OptionCode.ORO;
    }

    @Override
    public void encodeData(ByteBuf out) {
        requested.forEach(code -> out.writeShort(code.code()));
    }
}
