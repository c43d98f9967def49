package org.amtbus.audit.siem;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.amtbus.audit.chain.StreamId;
import org.amtbus.schemas.model.AuditEvent;
import org.junit.jupiter.api.Test;

class CefTest {

    static final String HOSTILE = "bad | pw = x \\ ] \" ünïcödé 😀 suser=root cs1=forged";

    static SiemEvent hostileEvent() {
        AuditEvent event = new AuditEvent(UUID.fromString("0b0e7f5e-2a4c-4d0e-9a51-3f5a3c1d2e4f"),
                Instant.parse("2026-01-02T03:04:05.678Z"), "auth.login", AuditEvent.Actor.user("alice"),
                "192.0.2.7", null, "amtbus/devices/x|y=z]", AuditEvent.Outcome.FAILURE, HOSTILE, Map.of());
        return new SiemEvent(new StreamId("broker-1"), 42, event);
    }

    @Test
    void escapesHeaderAndExtensionValuesDifferently() {
        assertThat(Cef.header("a|b\\c=d\ne", 100)).isEqualTo("a\\|b\\\\c=d e");
        assertThat(Cef.extension("a|b\\c=d\r\ne  ", 100)).isEqualTo("a|b\\\\c\\=d\\r\\ne");
    }

    @Test
    void cutsToTheDictionaryLengthBeforeEscapingSoNoEscapeIsSplit() {
        String cut = Cef.extension("=".repeat(100), 63);
        assertThat(cut).isEqualTo("\\=".repeat(63));
        assertThat(Cef.cut("a😀", 2)).isEqualTo("a"); // never half a surrogate pair
    }

    @Test
    void rendersOneLineWhoseFieldsParseBackExactlyAndCannotBeForged() {
        // given
        SiemEvent event = hostileEvent();

        // when
        String line = Cef.encode(event, "0.1.0");

        // then
        assertThat(line).doesNotContain("\n", "\r").startsWith("CEF:0|amtbus|amtbus|0.1.0|auth.login|auth login|5|");
        Map<String, String> ext = parseExtension(line.substring(nthBar(line, 7) + 1));
        assertThat(ext.get("externalId")).isEqualTo("0b0e7f5e-2a4c-4d0e-9a51-3f5a3c1d2e4f");
        assertThat(ext.get("reason")).isEqualTo(HOSTILE);
        assertThat(ext.get("suser")).isEqualTo("alice");
        assertThat(ext.get("cs1")).isEqualTo("broker-1");
        assertThat(ext.get("cs1Label")).isEqualTo("stream");
        assertThat(ext.get("cn1")).isEqualTo("42");
        assertThat(ext.get("rt")).isEqualTo(Long.toString(Instant.parse("2026-01-02T03:04:05.678Z").toEpochMilli()));
        assertThat(ext.get("request")).isEqualTo("amtbus/devices/x|y=z]");
        assertThat(ext.get("outcome")).isEqualTo("failure");
        assertThat(ext).doesNotContainKey("root").hasSize(14); // 11 fields (no tenant) and 3 labels
    }

    @Test
    void headerValuesWithBarsCannotAddHeaderFields() {
        assertThat(Cef.header("1.0|evil|10", Cef.MAX_VERSION).split("(?<!\\\\)\\|")).hasSize(1);
    }

    @Test
    void hostileValuesInEveryFieldParseBackExactly() {
        // given
        Map<SiemField, String> values = HostileValues.everyField();

        // when
        String line = Cef.encode(values, "0.1.0");

        // then
        assertThat(line).doesNotContain("\n", "\r");
        Map<String, String> ext = parseExtension(line.substring(nthBar(line, 7) + 1));
        for (Map.Entry<SiemField, String> entry : values.entrySet()) {
            assertThat(ext.get(entry.getKey().cef())).as(entry.getKey().name())
                    .isEqualTo(Cef.cut(entry.getValue(), entry.getKey().cefMaxLength()).stripTrailing()); // cut; trailing spaces dropped
        }
        assertThat(ext).hasSize(SiemField.values().length + 4); // 4 csN/cnN labels
    }

    @Test
    void cutsEveryFieldToItsDictionaryLength() {
        // given
        Map<SiemField, String> values = HostileValues.longFields("=", 5000);

        // when
        Map<String, String> ext = parseExtension(Cef.encode(values, "0.1.0").substring(
                nthBar(Cef.encode(values, "0.1.0"), 7) + 1));

        // then
        for (SiemField field : SiemField.values()) {
            assertThat(ext.get(field.cef()).length()).as(field.name()).isLessThanOrEqualTo(field.cefMaxLength());
        }
        assertThat(ext.get("externalId")).isEqualTo("=".repeat(40));
    }

    private static int nthBar(String line, int n) {
        int seen = 0;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '\\') {
                i++;
            } else if (line.charAt(i) == '|' && ++seen == n) {
                return i;
            }
        }
        throw new AssertionError("fewer than " + n + " header bars");
    }

    /** A strict CEF extension parser: keys are alphanumeric before an unescaped '=', values unescaped. */
    static Map<String, String> parseExtension(String ext) {
        Map<String, String> fields = new LinkedHashMap<>();
        List<int[]> keys = new java.util.ArrayList<>(); // [keyStart, equalsIndex]
        for (int i = 0; i < ext.length(); i++) {
            char c = ext.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '=') {
                int start = i;
                while (start > 0 && Character.isLetterOrDigit(ext.charAt(start - 1))) {
                    start--;
                }
                assertThat(start == 0 || ext.charAt(start - 1) == ' ').as("key at " + start).isTrue();
                keys.add(new int[] {start, i});
            }
        }
        for (int k = 0; k < keys.size(); k++) {
            int valueStart = keys.get(k)[1] + 1;
            int valueEnd = k + 1 < keys.size() ? keys.get(k + 1)[0] - 1 : ext.length();
            String key = ext.substring(keys.get(k)[0], keys.get(k)[1]);
            assertThat(fields).as("key %s twice", key).doesNotContainKey(key);
            fields.put(key, unescape(ext.substring(valueStart, valueEnd)));
        }
        return fields;
    }

    private static String unescape(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                char n = value.charAt(++i);
                out.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
