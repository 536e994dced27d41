package io.kubepd.agent.codec.option;

import io.kubepd.agent.codec.OptionCode;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * A decoded DHCPv6 option (RFC 8415 §21). Each implementation fixes its own code, except
 * {@link UnknownOption}, which keeps the code and bytes of options without a typed model.
 */
public sealed interface Dhcp6Option
        permits AuthOption, ClientIdOption, DnsServersOption, DomainListOption, ElapsedTimeOption,
                IaPdOption, IaPrefixOption, InfMaxRtOption, OroOption, PdExcludeOption, PreferenceOption,
                RapidCommitOption, ReconfAcceptOption, ReconfMsgOption, ServerIdOption, ServerUnicastOption,
                SolMaxRtOption, StatusCodeOption, UnknownOption {

    /** Largest option-data length: the length field is 16 bits. */
    int MAX_DATA_LENGTH = 0xffff;

    OptionCode code();

    /** Writes the option-data, without the code and length header. */
    void encodeData(ByteBuf out);

    /** Writes the option with its header; fails if the data does not fit the 16-bit length. */
    static void encode(Dhcp6Option option, ByteBuf out) {
        out.writeShort(option.code().code());
        int lengthIndex = out.writerIndex();
        out.writeShort(0);
        option.encodeData(out);
        int length = out.writerIndex() - lengthIndex - 2;
        if (length > MAX_DATA_LENGTH) {
            throw new IllegalArgumentException(option.code() + " option data is " + length
                    + " bytes, more than the " + MAX_DATA_LENGTH + " its length field can hold");
        }
        out.setShort(lengthIndex, length);
    }

    /** Writes each option with its header, in list order. */
    static void encodeAll(List<? extends Dhcp6Option> options, ByteBuf out) {
        for (Dhcp6Option option : options) {
            encode(option, out);
        }
    }
}
