package io.kubepd.agent.client;

import io.kubepd.agent.codec.option.IaPrefixOption;
import io.kubepd.agent.codec.option.PdExcludeOption;
import io.netty.util.NetUtil;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the prefix a delegating router excludes from a delegated one (RFC 6603 PD_EXCLUDE). A PD_EXCLUDE that does
 * not fit its IAPREFIX (RFC 6603 §4.2: a prefix-len longer than the IAPREFIX's, a subnet ID of just the octets the
 * bits between them take), or a second one, is ignored with a warning and the prefix stays usable: losing the whole
 * prefix over the server's mistake would hurt more than using the prefix as a client without RFC 6603 would.
 */
final class PrefixExclusion {
    private static final Logger log = LoggerFactory.getLogger(PrefixExclusion.class);

    private PrefixExclusion() {}

    /** The excluded prefix of {@code prefix} in CIDR notation, or null when it has none or an invalid one. */
    static String excludedCidr(String iface, IaPrefixOption prefix) {
        List<PdExcludeOption> excludes = prefix.pdExcludes();
        if (excludes.isEmpty()) {
            return null;
        }
        if (excludes.size() > 1) {
            log.warn("{}: ignoring {} PD_EXCLUDE options in IAPREFIX {}; RFC 6603 allows one", iface, excludes.size(),
                    prefix.cidr());
            return null;
        }
        PdExcludeOption exclude = excludes.get(0);
        try {
            return NetUtil.toAddressString(exclude.excludedPrefix(prefix.prefix(), prefix.prefixLength())) + "/"
                    + exclude.prefixLength();
        } catch (IllegalArgumentException e) {
            log.warn("{}: ignoring PD_EXCLUDE in IAPREFIX {}: {}", iface, prefix.cidr(), e.getMessage());
            return null;
        }
    }
}
