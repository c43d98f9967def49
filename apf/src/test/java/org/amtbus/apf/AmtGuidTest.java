package org.amtbus.apf;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.amtbus.apf.ApfSamples.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AmtGuidTest {

    @Test
    void readsTheRealDellExampleAsLowerCaseMixedEndianGuid() {
        // given the wire bytes of a real Dell's PROTOCOL_VERSION
        byte[] wire = hex("44 45 4C 4C 4B 00 10 42 80 33 B6 C0 4F 50 46 33");

        // when
        UUID guid = AmtGuid.fromWire(wire);

        // then the first three groups are byte-swapped, the rest are in order
        assertThat(guid).hasToString("4c4c4544-004b-4210-8033-b6c04f504633");
    }

    @Test
    void writesTheFactsSheetGuidInWireOrder() {
        // given / when
        byte[] wire = AmtGuid.toWire(UUID.fromString("12345678-9abc-def0-1234-56789abcdef0"));

        // then
        assertThat(wire).isEqualTo(hex("78 56 34 12 BC 9A F0 DE 12 34 56 78 9A BC DE F0"));
    }

    @Test
    void roundTripsAnyGuid() {
        // given
        UUID guid = UUID.randomUUID();

        // when / then
        assertThat(AmtGuid.fromWire(AmtGuid.toWire(guid))).isEqualTo(guid);
    }

    @Test
    void refusesWireBytesOfTheWrongLength() {
        assertThatThrownBy(() -> AmtGuid.fromWire(new byte[15])).isInstanceOf(IllegalArgumentException.class);
    }
}
