package org.amtbus.audit.siem;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SyslogTest {

    private static final Syslog.Origin ORIGIN = new Syslog.Origin("node-1.example", "amtbus-audit", Syslog.DOCUMENTATION_PEN);
    private static final Pattern HEADER = Pattern.compile(
            "<(\\d{1,3})>1 (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) \\[audit@32473((?: [^= \\]\"]+=\"(?:[^\"\\\\\\]]|\\\\[\"\\\\\\]])*\")*)\\] \uFEFF(.*)",
            Pattern.DOTALL);

    @Test
    void escapesQuoteBackslashAndBracketInParamValues() {
        assertThat(Syslog.paramValue("a\"b\\c]d\ne", 100)).isEqualTo("a\\\"b\\\\c\\]d e");
        assertThat(Syslog.paramValue("]".repeat(50), 10)).isEqualTo("\\]".repeat(10));
    }

    @Test
    void keepsHeaderFieldsPrintableAsciiAndWithinTheirLengths() {
        assertThat(Syslog.headerField("höst name", 255)).isEqualTo("h_st_name");
        assertThat(Syslog.headerField("", 48)).isEqualTo("-");
        assertThat(Syslog.headerField("x".repeat(100), Syslog.MAX_MSGID)).hasSize(32);
        assertThat(Syslog.msgId("auth.login")).isEqualTo("AUTH_LOGIN");
    }

    @Test
    void rendersAnRfc5424MessageWhoseStructuredDataParsesBackExactly() {
        // given
        SiemEvent event = CefTest.hostileEvent();

        // when
        String message = Syslog.message(event, ORIGIN);

        // then
        assertThat(message).doesNotContain("\n", "\r");
        Matcher m = HEADER.matcher(message);
        assertThat(m.matches()).as(message).isTrue();
        assertThat(m.group(1)).isEqualTo(String.valueOf(13 * 8 + 5));
        assertThat(m.group(2)).isEqualTo("2026-01-02T03:04:05.678Z");
        assertThat(m.group(3)).isEqualTo("node-1.example");
        assertThat(m.group(5)).isEqualTo("broker-1");
        assertThat(m.group(6)).isEqualTo("AUTH_LOGIN");
        Map<String, String> sd = params(m.group(7));
        assertThat(sd.get("eventId")).isEqualTo("0b0e7f5e-2a4c-4d0e-9a51-3f5a3c1d2e4f");
        assertThat(sd.get("reason")).isEqualTo(CefTest.HOSTILE);
        assertThat(sd.get("target")).isEqualTo("amtbus/devices/x|y=z]");
        assertThat(sd.get("seq")).isEqualTo("42");
        assertThat(m.group(8)).startsWith("auth.login failure by alice: ");
    }

    @Test
    void framesWithTheOctetCountNotTheCharacterCount() {
        // given
        SiemEvent event = CefTest.hostileEvent();

        // when
        byte[] frame = Syslog.frame(event, ORIGIN);

        // then
        String text = new String(frame, StandardCharsets.UTF_8);
        int space = text.indexOf(' ');
        int declared = Integer.parseInt(text.substring(0, space));
        assertThat(declared).isEqualTo(frame.length - space - 1);
        assertThat(declared).isGreaterThan(text.length() - space - 1); // non-ASCII: more octets than chars
        assertThat(frame.length).isLessThanOrEqualTo(Syslog.MAX_FRAME_BYTES);
    }

    @Test
    void cutsUtf8OnlyAtCharacterBoundaries() {
        byte[] utf8 = "ab😀c".getBytes(StandardCharsets.UTF_8); // a b [4 bytes] c
        assertThat(Syslog.utf8Prefix(utf8, 3)).isEqualTo(2);
        assertThat(Syslog.utf8Prefix(utf8, 5)).isEqualTo(2);
        assertThat(Syslog.utf8Prefix(utf8, 6)).isEqualTo(6);
        assertThat(Syslog.utf8Prefix(utf8, 100)).isEqualTo(7);
    }

    private static Map<String, String> params(String sd) {
        Map<String, String> params = new LinkedHashMap<>();
        Matcher p = Pattern.compile(" ([^= \\]\"]+)=\"((?:[^\"\\\\\\]]|\\\\[\"\\\\\\]])*)\"").matcher(sd);
        while (p.find()) {
            params.put(p.group(1), p.group(2).replaceAll("\\\\([\"\\\\\\]])", "$1"));
        }
        return params;
    }
}
