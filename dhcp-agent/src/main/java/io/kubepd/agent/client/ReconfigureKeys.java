package io.kubepd.agent.client;

import io.kubepd.agent.codec.Dhcp6Codec;
import io.kubepd.agent.codec.Dhcp6Message;
import io.kubepd.agent.codec.Duid;
import io.kubepd.agent.codec.option.AuthOption;
import io.kubepd.agent.codec.option.Dhcp6Option;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The reconfigure keys servers gave this client and the replay detection floor of each server
 * (RFC 8415 §20.3, §20.4). Authenticates Reconfigure messages with HMAC-MD5.
 */
final class ReconfigureKeys {
    private static final String HMAC_MD5 = "HmacMD5";

    private record ServerKey(byte[] key, long replayFloor) {
    }

    private final Map<Duid, ServerKey> keys = new HashMap<>();

    /**
     * Records the key from a Reply's RKAP option (type 1). The Reply's counter raises the floor; a
     * new key resets it, since messages signed with the old key can no longer pass.
     */
    boolean learn(Duid server, Dhcp6Message reply) {
        Optional<AuthOption> auth = reply.option(AuthOption.class)
                .filter(AuthOption::isRkap)
                .filter(a -> a.rkapType() == AuthOption.RKAP_TYPE_KEY);
        auth.ifPresent(a -> {
            ServerKey known = keys.get(server);
            long floor = known != null && Arrays.equals(known.key(), a.rkapValue())
                    && Long.compareUnsigned(known.replayFloor(), a.replayDetection()) > 0
                    ? known.replayFloor() : a.replayDetection();
            keys.put(server, new ServerKey(a.rkapValue(), floor));
        });
        return auth.isPresent();
    }

    /**
     * Checks a Reconfigure from {@code server}: one RKAP digest option, a replay counter above the
     * floor, and an HMAC-MD5 over the message with the digest zeroed (§20.4.3). Returns why it
     * fails, or empty when it is authentic.
     */
    Optional<String> verify(Duid server, Dhcp6Message reconfigure) {
        ServerKey known = keys.get(server);
        if (known == null) {
            return Optional.of("no reconfigure key from server " + server);
        }
        List<AuthOption> auths = reconfigure.options(AuthOption.class);
        if (auths.size() != 1) {
            return Optional.of(auths.size() + " authentication options, need exactly one");
        }
        AuthOption auth = auths.get(0);
        if (!auth.isRkap() || auth.rkapType() != AuthOption.RKAP_TYPE_HMAC_MD5) {
            return Optional.of("authentication is not an RKAP HMAC-MD5 digest: " + auth);
        }
        if (Long.compareUnsigned(auth.replayDetection(), known.replayFloor()) <= 0) {
            return Optional.of("replay detection " + Long.toUnsignedString(auth.replayDetection())
                    + " is not above " + Long.toUnsignedString(known.replayFloor()));
        }
        if (!MessageDigest.isEqual(auth.rkapValue(), digest(known.key(), reconfigure, auth))) {
            return Optional.of("HMAC-MD5 digest does not match");
        }
        return Optional.empty();
    }

    /** Raises the floor once the client acts on an authentic Reconfigure (§20.3). */
    void accept(Duid server, Dhcp6Message reconfigure) {
        ServerKey known = keys.get(server);
        long replay = reconfigure.option(AuthOption.class).orElseThrow().replayDetection();
        keys.put(server, new ServerKey(known.key(), replay));
    }

    /** HMAC-MD5 of the message as sent, with the digest field zeroed (§20.4.3). */
    static byte[] digest(byte[] key, Dhcp6Message message, AuthOption auth) {
        List<Dhcp6Option> zeroed = message.options().stream()
                .map(option -> option.equals(auth) ? auth.withZeroedRkapValue() : option)
                .toList();
        // The codec re-encodes a decoded message to the exact bytes received.
        byte[] wire = Dhcp6Codec.encode(new Dhcp6Message(message.type(), message.transactionId(), zeroed));
        try {
            Mac mac = Mac.getInstance(HMAC_MD5);
            mac.init(new SecretKeySpec(key, HMAC_MD5));
            return mac.doFinal(wire);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-MD5 is a required JDK algorithm", e);
        }
    }
}
