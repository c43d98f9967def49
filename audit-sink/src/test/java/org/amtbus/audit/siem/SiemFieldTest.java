package org.amtbus.audit.siem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SiemFieldTest {

    @Test
    void everyFormatNamesEveryFieldOnceAndCarriesTheEventId() {
        for (Function<SiemField, String> format : java.util.List.<Function<SiemField, String>>of(SiemField::cef,
                SiemField::leef, SiemField::sdParam, SiemField::ecs, SiemField::ocsf, SiemField::hec)) {
            assertThat(Arrays.stream(SiemField.values()).map(format)).doesNotContainNull().doesNotHaveDuplicates();
        }
        assertThat(SiemField.EVENT_ID.cef()).isEqualTo("externalId");
        assertThat(SiemField.EVENT_ID.cefMaxLength()).isGreaterThanOrEqualTo(36); // a UUID fits
        assertThat(SiemField.EVENT_ID.ecs()).isEqualTo("event.id");
        assertThat(SiemField.EVENT_ID.ocsf()).isEqualTo("metadata.uid");
    }

    @Test
    void sdParamNamesAreValidRfc5424Names() {
        for (SiemField field : SiemField.values()) {
            assertThat(field.sdParam()).matches("[!#-<>-\\\\^-~]{1,32}"); // PRINTUSASCII except = SP ] "
        }
    }
}
