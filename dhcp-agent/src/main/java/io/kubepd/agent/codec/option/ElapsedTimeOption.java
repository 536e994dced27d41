package io.kubepd.agent.codec.option;

import io.kubepd.agent.codec.OptionCode;
import io.netty.buffer.ByteBuf;

/**
 * Elapsed Time option (RFC 8415 §21.9): hundredths of a second since the client first sent the
 * message of the current exchange; 0xffff stands for any longer time.
 */
public record ElapsedTimeOption(int centiseconds) implements Dhcp6Option {
    public static final int MAX = 0xffff;

    public ElapsedTimeOption {
        if (centiseconds < 0 || centiseconds > MAX) {
            throw new IllegalArgumentException("elapsed time " + centiseconds + " outside 0.." + MAX);
        }
    }

    @Override
    public OptionCode code() {
        return OptionCode.ELAPSED_TIME;
    }

    @Override
    public void encodeData(ByteBuf out) {
        out.writeShort(centiseconds);
    }
}
