package org.amtbus.audit.siem;

import java.util.EnumMap;
import java.util.Map;

/** Field values for encoder tests: every text field holds everything a format could choke on. */
final class HostileValues {

    /** Delimiters and escapes of every format, CR/LF/TAB, NUL, non-ASCII, an emoji and forged keys. */
    static final String HOSTILE = "a|b=c\\d]e\"f\tg\r\nh\u0000 ünïcödé 😀 suser=root\tsev=10 cs1=forged ^ [x@1 y=\"z\"]  ";
    static final long TIME = 1_767_323_045_678L; // 2026-01-02T03:04:05.678Z
    static final long SEQ = 42;

    private HostileValues() {
    }

    /** Every field hostile except the numeric TIME and SEQ (they are longs by construction). */
    static Map<SiemField, String> everyField() {
        Map<SiemField, String> values = new EnumMap<>(SiemField.class);
        for (SiemField field : SiemField.values()) {
            values.put(field, switch (field) {
                case TIME -> Long.toString(TIME);
                case SEQ -> Long.toString(SEQ);
                case OUTCOME -> "denied";
                case TYPE -> "auth.login" + HOSTILE;
                default -> field.name() + HOSTILE;
            });
        }
        return values;
    }

    /** Every text field far longer than any format's limit. */
    static Map<SiemField, String> longFields(String unit, int repeat) {
        Map<SiemField, String> values = everyField();
        values.replaceAll((field, value) -> field == SiemField.TIME || field == SiemField.SEQ || field == SiemField.OUTCOME
                ? value : unit.repeat(repeat));
        return values;
    }
}
