package org.amtbus.schemas.cira;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.agent.FrameCipher;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.GatewayId;
import org.amtbus.schemas.model.TenantId;
import org.junit.jupiter.api.Test;

class CiraFrameTest {

    private static final CiraFrame OPEN = new CiraFrame(CiraFrame.Kind.OPEN, new TenantId("acme"),
            DeviceGuid.of(UUID.randomUUID()), new GatewayId("gw-1"), UUID.randomUUID(), 0, null, "key", null);

    @Test
    void aDataFrameTravelsAsJsonWithItsBytesAndPrintsNone() throws Exception {
        CiraFrame data = OPEN.reply(CiraFrame.Kind.DATA, 3, "sealed-bytes".getBytes(), null, null);

        CiraFrame back = Json.read(Json.write(data), CiraFrame.class);

        assertThat(back.kind()).isEqualTo(CiraFrame.Kind.DATA);
        assertThat(back.data()).isEqualTo("sealed-bytes".getBytes());
        assertThat(back.connection()).isEqualTo(OPEN.connection());
        assertThat(back.seq()).isEqualTo(3);
        assertThat(data.toString()).doesNotContain("sealed-bytes").contains("bytes=12");
    }

    @Test
    void onlyDataCarriesBytesAndWithinTheSealedLimit() {
        assertThatThrownBy(() -> OPEN.reply(CiraFrame.Kind.DATA, 0, new byte[0], null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OPEN.reply(CiraFrame.Kind.DATA, 0,
                new byte[FrameCipher.MAX_PLAIN + FrameCipher.TAG_BYTES + 1], null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OPEN.reply(CiraFrame.Kind.CLOSE, 0, new byte[1], null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OPEN.reply(CiraFrame.Kind.DATA, -1, new byte[1], null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(OPEN.reply(CiraFrame.Kind.FAIL, 0, null, null, "x".repeat(600)).reason()).hasSize(500);
    }
}
