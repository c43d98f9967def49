package org.amtbus.schemas.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FrameCipherTest {

    private final KeyPair agent = FrameCipher.newKeyPair();
    private final KeyPair worker = FrameCipher.newKeyPair();
    private final UUID connection = UUID.randomUUID();

    @Test
    void bothSidesDeriveTheSameKeyAndTheBytesAreNotInTheClear() throws Exception {
        FrameCipher workerSide = FrameCipher.derive(worker.getPrivate(), FrameCipher.decode(FrameCipher.encode(agent.getPublic())),
                connection);
        FrameCipher agentSide = FrameCipher.derive(agent.getPrivate(), worker.getPublic(), connection);
        byte[] plain = "<Password>Secr3t!pw</Password>".getBytes(StandardCharsets.US_ASCII);

        byte[] sealed = workerSide.seal(FrameCipher.Direction.DOWN, 0, plain);

        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("Secr3t");
        assertThat(sealed).hasSize(plain.length + FrameCipher.TAG_BYTES);
        assertThat(agentSide.open(FrameCipher.Direction.DOWN, 0, sealed)).isEqualTo(plain);
    }

    @Test
    void aFrameDoesNotOpenInAnotherDirectionPositionConnectionOrWhenAltered() {
        FrameCipher workerSide = FrameCipher.derive(worker.getPrivate(), agent.getPublic(), connection);
        FrameCipher agentSide = FrameCipher.derive(agent.getPrivate(), worker.getPublic(), connection);
        FrameCipher otherConnection = FrameCipher.derive(agent.getPrivate(), worker.getPublic(), UUID.randomUUID());
        byte[] sealed = workerSide.seal(FrameCipher.Direction.DOWN, 5, new byte[] {1, 2, 3});

        assertThatThrownBy(() -> agentSide.open(FrameCipher.Direction.UP, 5, sealed)).isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> agentSide.open(FrameCipher.Direction.DOWN, 6, sealed)).isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> otherConnection.open(FrameCipher.Direction.DOWN, 5, sealed))
                .isInstanceOf(GeneralSecurityException.class);
        sealed[0] ^= 1;
        assertThatThrownBy(() -> agentSide.open(FrameCipher.Direction.DOWN, 5, sealed)).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void refusesWhatIsNotAPublicKey() {
        assertThatThrownBy(() -> FrameCipher.decode("not base64!")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrameCipher.decode(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
