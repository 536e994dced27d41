package io.kubepd.agent.codec;

import io.kubepd.agent.codec.option.AuthOption;
import io.kubepd.agent.codec.option.ClientIdOption;
import io.kubepd.agent.codec.option.Dhcp6Option;
import io.kubepd.agent.codec.option.DnsServersOption;
import io.kubepd.agent.codec.option.DomainListOption;
import io.kubepd.agent.codec.option.ElapsedTimeOption;
import io.kubepd.agent.codec.option.IaPdOption;
import io.kubepd.agent.codec.option.IaPrefixOption;
import io.kubepd.agent.codec.option.InfMaxRtOption;
import io.kubepd.agent.codec.option.OroOption;
import io.kubepd.agent.codec.option.PdExcludeOption;
import io.kubepd.agent.codec.option.PreferenceOption;
import io.kubepd.agent.codec.option.RapidCommitOption;
import io.kubepd.agent.codec.option.ReconfAcceptOption;
import io.kubepd.agent.codec.option.ReconfMsgOption;
import io.kubepd.agent.codec.option.ServerIdOption;
import io.kubepd.agent.codec.option.ServerUnicastOption;
import io.kubepd.agent.codec.option.SolMaxRtOption;
import io.kubepd.agent.codec.option.StatusCodeOption;
import io.kubepd.agent.codec.option.UnknownOption;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes option lists, one parser per typed option. Parsers read through {@link WireReader};
 * values the option constructors reject (IllegalArgumentException) become malformed-message errors.
 */
final class OptionDecoder {
    /** Deepest encapsulation accepted; real messages use 3 (IA_PD, IAPREFIX, PD_EXCLUDE). */
    static final int MAX_DEPTH = 8;

    private interface Parser {
        Dhcp6Option parse(WireReader data, int depth);
    }

    private static final Map<OptionCode, Parser> PARSERS = Map.ofEntries(
            Map.entry(OptionCode.CLIENTID, (r, depth) -> new ClientIdOption(Duid.of(r.rest()))),
            Map.entry(OptionCode.SERVERID, (r, depth) -> new ServerIdOption(Duid.of(r.rest()))),
            Map.entry(OptionCode.ORO, (r, depth) -> new OroOption(codes(r))),
            Map.entry(OptionCode.PREFERENCE, (r, depth) -> new PreferenceOption(r.u8("preference"))),
            Map.entry(OptionCode.ELAPSED_TIME, (r, depth) -> new ElapsedTimeOption(r.u16("elapsed-time"))),
            Map.entry(OptionCode.AUTH, (r, depth) -> new AuthOption(
                    r.u8("protocol"), r.u8("algorithm"), r.u8("RDM"), r.u64("replay detection"), r.rest())),
            Map.entry(OptionCode.UNICAST, (r, depth) -> new ServerUnicastOption(r.address("server-address"))),
            Map.entry(OptionCode.STATUS_CODE, (r, depth) -> new StatusCodeOption(
                    StatusCode.valueOf(r.u16("status-code")), StatusCodeOption.decodeMessage(r.rest()))),
            Map.entry(OptionCode.RAPID_COMMIT, (r, depth) -> new RapidCommitOption()),
            Map.entry(OptionCode.RECONF_MSG, (r, depth) -> new ReconfMsgOption(MessageType.valueOf(r.u8("msg-type")))),
            Map.entry(OptionCode.RECONF_ACCEPT, (r, depth) -> new ReconfAcceptOption()),
            Map.entry(OptionCode.DNS_SERVERS, (r, depth) -> new DnsServersOption(addresses(r))),
            Map.entry(OptionCode.DOMAIN_LIST, (r, depth) -> DomainListOption.fromWire(r.rest())),
            Map.entry(OptionCode.IA_PD, (r, depth) -> new IaPdOption(
                    r.u32("IAID"), r.u32("T1"), r.u32("T2"), decodeAll(r, depth + 1))),
            Map.entry(OptionCode.IAPREFIX, (r, depth) -> new IaPrefixOption(
                    r.u32("preferred-lifetime"), r.u32("valid-lifetime"), r.u8("prefix-length"),
                    r.address("IPv6-prefix"), decodeAll(r, depth + 1))),
            Map.entry(OptionCode.PD_EXCLUDE, (r, depth) -> new PdExcludeOption(r.u8("prefix-len"), r.rest())),
            Map.entry(OptionCode.SOL_MAX_RT, (r, depth) -> new SolMaxRtOption(r.u32("SOL_MAX_RT value"))),
            Map.entry(OptionCode.INF_MAX_RT, (r, depth) -> new InfMaxRtOption(r.u32("INF_MAX_RT value"))));

    private OptionDecoder() {
    }

    /** Decodes options until the reader's region ends. */
    static List<Dhcp6Option> decodeAll(WireReader r, int depth) {
        if (depth > MAX_DEPTH) {
            throw r.malformed("options nested deeper than " + MAX_DEPTH + " levels");
        }
        List<Dhcp6Option> options = new ArrayList<>();
        while (r.remaining() > 0) {
            int start = r.offset();
            OptionCode code = OptionCode.valueOf(r.u16("option-code"));
            int length = r.u16("option-len of " + code);
            if (length > r.remaining()) {
                throw new MalformedMessageException(code + " option-len " + length + " overflows " + r.region()
                        + ", which has " + r.remaining() + " bytes left", start);
            }
            options.add(decode(code, r.region(length, code + " option"), depth, start));
        }
        return options;
    }

    private static Dhcp6Option decode(OptionCode code, WireReader data, int depth, int start) {
        Parser parser = PARSERS.get(code);
        if (parser == null) {
            return new UnknownOption(code, data.rest());
        }
        Dhcp6Option option;
        try {
            option = parser.parse(data, depth);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException(code + " option: " + e.getMessage(), start);
        }
        data.expectEnd();
        return option;
    }

    private static List<OptionCode> codes(WireReader r) {
        if (r.remaining() % 2 != 0) {
            throw r.malformed("length " + r.remaining() + " is not a multiple of 2");
        }
        List<OptionCode> codes = new ArrayList<>();
        while (r.remaining() > 0) {
            codes.add(OptionCode.valueOf(r.u16("requested-option-code")));
        }
        return codes;
    }

    private static List<Inet6Address> addresses(WireReader r) {
        if (r.remaining() % 16 != 0) {
            throw r.malformed("length " + r.remaining() + " is not a multiple of 16");
        }
        List<Inet6Address> addresses = new ArrayList<>();
        while (r.remaining() > 0) {
            addresses.add(r.address("address"));
        }
        return addresses;
    }
}
