package org.amtbus.audit.siem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our CEF lines parsed by an independent parser: liblognorm's {@code lognormalizer} (Debian package
 * {@code liblognorm-utils}, rule type {@code %name:cef%}). Java's only CEF parser on Maven Central
 * ({@code org.graylog.cef:cef-parser}) has not been released since 2017, so it is not used.
 *
 * <p>Known quirk of liblognorm 2.0.6 (rsyslog/liblognorm#363, fixed upstream later): without a space
 * after the last header {@code |} (the CEF spec has none, and we follow it) it drops the first character
 * of the first extension key, so {@code externalId} arrives as {@code xternalId}; its value is intact.
 * The test asserts exactly that, so an upgrade that fixes the quirk shows up here.
 */
class CefLognormalizerIT {

    private static final Path LOGNORMALIZER = Path.of("/usr/bin/lognormalizer");
    /** The hostile text without NUL: lognormalizer reads C strings (and an AuditEvent holds no control character). */
    private static final String HOSTILE = HostileValues.HOSTILE.replace("\u0000", "");

    @Test
    void lognormalizerParsesEveryHostileFieldBackExactly(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(LOGNORMALIZER),
                "lognormalizer is not installed: apt-get install -y liblognorm-utils (skipping the independent CEF parse)");
        // given
        Map<SiemField, String> values = HostileValues.everyField();
        values.replaceAll((field, value) -> value.replace("\u0000", ""));
        String line = Cef.encode(values, "0.1.0|beta\\2");

        // when
        JsonNode parsed = lognormalize(dir, line);

        // then
        JsonNode cef = parsed.get("cef");
        assertThat(cef).as("lognormalizer output %s", parsed).isNotNull();
        assertThat(cef.get("DeviceVendor").asText()).isEqualTo("amtbus");
        assertThat(cef.get("DeviceVersion").asText()).isEqualTo("0.1.0|beta\\2");
        assertThat(cef.get("SignatureID").asText()).isEqualTo(values.get(SiemField.TYPE).replace('\r', ' ').replace('\n', ' '));
        assertThat(cef.get("Severity").asText()).isEqualTo("6");
        JsonNode ext = cef.get("Extensions");
        for (Map.Entry<SiemField, String> entry : values.entrySet()) {
            String key = entry.getKey() == SiemField.EVENT_ID ? "xternalId" : entry.getKey().cef(); // liblognorm#363
            assertThat(ext.get(key)).as(key + " in " + ext).isNotNull();
            assertThat(ext.get(key).asText()).as(key)
                    .isEqualTo(Cef.cut(entry.getValue(), entry.getKey().cefMaxLength()).stripTrailing());
        }
        assertThat(ext.get("cs1Label").asText()).isEqualTo("stream");
        assertThat(ext.size()).isEqualTo(SiemField.values().length + 4);
        assertThat(HOSTILE).contains("suser=root");
        assertThat(ext.get("suser").asText()).isEqualTo(values.get(SiemField.ACTOR).stripTrailing()); // not "root"
    }

    @Test
    void lognormalizerReadsARealEventsId(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(LOGNORMALIZER), "lognormalizer is not installed: apt-get install -y liblognorm-utils");
        SiemEvent event = CefTest.hostileEvent();
        JsonNode ext = lognormalize(dir, Cef.encode(event, "0.1.0")).get("cef").get("Extensions");
        assertThat(ext.get("xternalId").asText()).isEqualTo(event.event().id().toString());
        assertThat(ext.get("reason").asText()).isEqualTo(CefTest.HOSTILE);
    }

    private static JsonNode lognormalize(Path dir, String line) throws IOException, InterruptedException {
        Path rules = dir.resolve("cef.rb");
        Files.writeString(rules, "version=2\nrule=:%cef:cef%\n");
        Process process = new ProcessBuilder(LOGNORMALIZER.toString(), "-r", rules.toString(), "-e", "json")
                .redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new ObjectMapper().readTree(out);
    }
}
