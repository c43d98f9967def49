package org.amtbus.audit.siem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ECS, OCSF and HEC JSON: hostile text round-trips exactly, lines stay lines, limits hold, ids are there. */
class JsonEncodersTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Hec.Target TARGET = new Hec.Target("node-1", "amtbus:broker-1", null);

    @Test
    void ecsKeepsHostileTextExactlyAndUsesEcsValues() throws IOException {
        // given
        Map<SiemField, String> values = HostileValues.everyField();

        // when
        byte[] json = JsonTree.bytes(Ecs.document(values, "0.1.0"));

        // then
        JsonNode doc = oneLine(json);
        for (Map.Entry<SiemField, String> entry : values.entrySet()) {
            JsonNode node = at(doc, entry.getKey().ecs());
            switch (entry.getKey()) {
                case TIME -> assertThat(node.asText()).isEqualTo("2026-01-02T03:04:05.678Z");
                case SEQ -> assertThat(node.asLong()).isEqualTo(HostileValues.SEQ);
                case ACTOR_KIND -> assertThat(node.get(0).asText()).isEqualTo(entry.getValue());
                case OUTCOME -> assertThat(node.asText()).isEqualTo("failure");
                default -> assertThat(node.asText()).as(entry.getKey().name()).isEqualTo(entry.getValue());
            }
        }
        assertThat(at(doc, "labels.amtbus_outcome").asText()).isEqualTo("denied");
        assertThat(at(doc, "event.category").get(0).asText()).isEqualTo("authentication");
        assertThat(at(doc, "ecs.version").asText()).isEqualTo(Ecs.ECS_VERSION);
    }

    @Test
    void ocsfKeepsHostileTextExactlyAndDerivesTypeUid() throws IOException {
        // given
        Map<SiemField, String> values = HostileValues.everyField();
        values.put(SiemField.TYPE, "auth.login");

        // when
        JsonNode doc = oneLine(JsonTree.bytes(Ocsf.document(values, "0.1.0")));

        // then
        for (Map.Entry<SiemField, String> entry : values.entrySet()) {
            JsonNode node = at(doc, entry.getKey().ocsf());
            if (entry.getKey() == SiemField.TIME || entry.getKey() == SiemField.SEQ) {
                assertThat(node.isNumber()).isTrue();
                assertThat(node.asText()).isEqualTo(entry.getValue());
            } else {
                assertThat(node.asText()).as(entry.getKey().name()).isEqualTo(entry.getValue());
            }
        }
        assertThat(doc.get("class_uid").asInt()).isEqualTo(3002);
        assertThat(doc.get("type_uid").asLong()).isEqualTo(300201);
        assertThat(doc.get("status_id").asInt()).isEqualTo(2);
        assertThat(doc.get("severity_id").asInt()).isEqualTo(3);
        assertThat(at(doc, "user.name").asText()).isEqualTo(values.get(SiemField.ACTOR));
    }

    @Test
    void hecUsesEpochSecondsAndFlatStringFields() throws IOException {
        // given
        Map<SiemField, String> values = HostileValues.everyField();

        // when
        JsonNode doc = oneLine(JsonTree.bytes(Hec.document(values, MAPPER.createObjectNode().put("k", "v"), TARGET)));

        // then
        assertThat(doc.get("time").decimalValue()).isEqualByComparingTo("1767323045.678");
        assertThat(doc.get("sourcetype").asText()).isEqualTo(Hec.SOURCETYPE);
        JsonNode fields = doc.get("fields");
        assertThat(fields.size()).isEqualTo(SiemField.values().length - 1);
        fields.forEach(field -> assertThat(field.isTextual()).isTrue());
        for (Map.Entry<SiemField, String> entry : values.entrySet()) {
            if (entry.getKey() != SiemField.TIME) {
                assertThat(fields.get(entry.getKey().hec()).asText()).as(entry.getKey().name()).isEqualTo(entry.getValue());
            }
        }
        assertThat(doc.get("event").get("k").asText()).isEqualTo("v");
    }

    @Test
    void hecObjectsConcatenatedInOneBodyParseBackOneByOne() throws IOException {
        // given
        SiemEvent first = CefTest.hostileEvent();
        SiemEvent second = new SiemEvent(first.stream(), 43, first.event());

        // when
        String body = new String(Hec.encode(first, TARGET), StandardCharsets.UTF_8)
                + new String(Hec.encode(second, TARGET), StandardCharsets.UTF_8);

        // then
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = MAPPER.readerFor(JsonNode.class).readValues(body)) {
            it.forEachRemaining(docs::add);
        }
        assertThat(docs).hasSize(2);
        assertThat(docs.get(0).get("fields").get("event_id").asText()).isEqualTo(first.event().id().toString());
        assertThat(docs.get(1).get("fields").get("seq").asText()).isEqualTo("43");
        assertThat(docs.get(0).get("event").get("reason").asText()).isEqualTo(CefTest.HOSTILE);
    }

    @Test
    void everyJsonFormatCutsLongStringsWithoutSplittingCharacters() throws IOException {
        // given
        Map<SiemField, String> values = HostileValues.longFields("😀", 5000);

        // when
        JsonNode ecs = oneLine(JsonTree.bytes(Ecs.document(values, "0.1.0")));
        JsonNode ocsf = oneLine(JsonTree.bytes(Ocsf.document(values, "0.1.0")));
        JsonNode hec = oneLine(JsonTree.bytes(Hec.document(values, MAPPER.createObjectNode(), TARGET)));

        // then
        assertThat(at(ecs, "event.reason").asText()).isEqualTo("😀".repeat(Ecs.MAX_KEYWORD / 2));
        assertThat(at(ocsf, "status_detail").asText()).isEqualTo("😀".repeat(Ocsf.MAX_STRING / 2));
        assertThat(hec.get("fields").get("reason").asText()).isEqualTo("😀".repeat(Hec.MAX_FIELD / 2));
    }

    @Test
    void everyJsonFormatCarriesTheEventId() throws IOException {
        SiemEvent event = CefTest.hostileEvent();
        String id = event.event().id().toString();
        assertThat(at(oneLine(Ecs.encode(event, "0.1.0")), "event.id").asText()).isEqualTo(id);
        assertThat(at(oneLine(Ocsf.encode(event, "0.1.0")), "metadata.uid").asText()).isEqualTo(id);
        assertThat(oneLine(Hec.encode(event, TARGET)).get("fields").get("event_id").asText()).isEqualTo(id);
    }

    /** Parses a document that must be exactly one line of valid UTF-8 JSON. */
    private static JsonNode oneLine(byte[] json) throws IOException {
        String text = new String(json, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\n", "\r");
        try (JsonParser parser = MAPPER.createParser(json)) {
            JsonNode doc = MAPPER.readTree(parser);
            assertThat(parser.nextToken()).as("trailing content").isNull();
            return doc;
        }
    }

    private static JsonNode at(JsonNode doc, String dottedPath) {
        JsonNode node = doc;
        for (String part : dottedPath.split("\\.")) {
            node = node.get(part);
            assertThat(node).as(dottedPath).isNotNull();
        }
        return node;
    }
}
