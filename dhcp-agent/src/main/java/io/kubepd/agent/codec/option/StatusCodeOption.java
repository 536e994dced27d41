package io.kubepd.agent.codec.option;

import io.kubepd.agent.codec.OptionCode;
import io.kubepd.agent.codec.StatusCode;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Status Code option (RFC 8415 §21.13): a status and a UTF-8 message for humans. */
public record StatusCodeOption(StatusCode status, String message) implements Dhcp6Option {
    public StatusCodeOption {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
    }

    /**
     * Decodes a status message strictly: invalid UTF-8 is rejected rather than replaced, so that a
     * decoded option re-encodes to exactly the bytes it came from.
     */
    public static String decodeMessage(byte[] utf8) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("status message is not valid UTF-8", e);
        }
    }

    @Override
    public OptionCode code() {
        return OptionCode.STATUS_CODE;
    }

    @Override
    public void encodeData(ByteBuf out) {
        out.writeShort(status.code());
        out.writeCharSequence(message, StandardCharsets.UTF_8);
    }
}
