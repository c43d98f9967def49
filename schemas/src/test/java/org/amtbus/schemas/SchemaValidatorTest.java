package org.amtbus.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.amtbus.schemas.model.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class SchemaValidatorTest {
    private final SchemaValidator validator = new SchemaValidator();

    static List<Samples.Sample> validSamples() {
        return Samples.valid().toList();
    }

    static List<Samples.Sample> invalidSamples() {
        return Samples.invalid().toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validSamples")
    void bindsEveryValidSampleToItsRecordAndRoundTrips(Samples.Sample sample) {
        // when
        Validation result = validator.validate(sample.type(), sample.bytes());

        // then
        assertThat(result).isInstanceOf(Validation.Valid.class);
        Record payload = ((Validation.Valid) result).payload();
        assertThat(payload).isInstanceOf(sample.type().recordClass());
        Validation again = validator.validate(sample.type(), Json.write(payload));
        assertThat(again).isEqualTo(result);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSamples")
    void refusesEveryInvalidSampleNamingTheFailingField(Samples.Sample sample) {
        assertThat(sample.expectedPointer()).as("expected.properties entry for " + sample).isNotNull();

        // when
        Validation result = validator.validate(sample.type(), sample.bytes());

        // then
        assertThat(result).isInstanceOf(Validation.Invalid.class);
        assertThat(((Validation.Invalid) result).errors())
                .extracting(FieldError::pointer)
                .contains(sample.expectedPointer());
    }

    @ParameterizedTest
    @EnumSource(SchemaType.class)
    void everyExpectationNamesAnExistingSample(SchemaType type) {
        var files = Samples.invalid().filter(s -> s.type() == type)
                .map(s -> s.file().getFileName().toString()).toList();
        assertThat(Samples.expectations(type).stringPropertyNames()).containsExactlyInAnyOrderElementsOf(files);
    }

    @ParameterizedTest
    @EnumSource(SchemaType.class)
    void acceptsTheExampleEmbeddedInEachSchemaFile(SchemaType type) {
        // given
        byte[] example = Json.write(Samples.schema(type).get("examples").get(0));

        // when / then
        assertThat(validator.validate(type, example).isValid()).isTrue();
    }

    @Test
    void refusesAPayloadOfAnotherTypeAtTheSchemaField() {
        // given a valid presence sent where a command is expected
        byte[] presence = Json.write(Samples.schema(SchemaType.PRESENCE).get("examples").get(0));

        // when
        Validation result = validator.validate(SchemaType.COMMAND, presence);

        // then
        assertThat(((Validation.Invalid) result).errors()).extracting(FieldError::pointer).contains("/schema");
    }

    @Test
    void reportsEveryFailingFieldSortedByPointer() {
        // given
        String json = """
                {"schema":"amtbus.command/v1","id":"nope","tenant":"ACME","guid":"x","action":"power.on",\
                "time":"2025-01-31T12:00:00Z"}""";

        // when
        Validation result = validator.validate(SchemaType.COMMAND, json.getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(((Validation.Invalid) result).errors().stream().map(FieldError::pointer).distinct())
                .containsExactly("/guid", "/id", "/tenant");
    }

    @Test
    void neverEchoesTheOffendingValue() {
        // given
        String json = """
                {"schema":"amtbus.command/v1","id":"6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f","tenant":"hunter2-PASSWORD",\
                "guid":"8c3a0e5e-2b1f-4d6a-9c4e-1f2a3b4c5d6e","action":"hunter2-PASSWORD","time":"2025-01-31T12:00:00Z"}""";

        // when
        Validation result = validator.validate(SchemaType.COMMAND, json.getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(((Validation.Invalid) result).errors()).isNotEmpty()
                .allSatisfy(e -> assertThat(e.message()).doesNotContain("hunter2"));
    }

    @Test
    void givesOneRootErrorForMalformedJson() {
        // when
        Validation result = validator.validate(SchemaType.COMMAND, "{\"schema\": tru".getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(((Validation.Invalid) result).errors()).singleElement().satisfies(e -> {
            assertThat(e.pointer()).isEmpty();
            assertThat(e.message()).startsWith("malformed JSON at line 1");
        });
    }

    @Test
    void refusesAnOversizedPayloadBeforeParsingIt() {
        // given: not even JSON, so only the size check can produce this message
        byte[] big = new byte[SchemaValidator.DEFAULT_MAX_BYTES + 1];

        // when
        Validation result = validator.validate(SchemaType.COMMAND, big);

        // then
        assertThat(((Validation.Invalid) result).first())
                .isEqualTo(new FieldError("", "payload is 65537 bytes; the limit is 65536"));
    }

    @Test
    void refusesDeepNestingWithoutExhaustingTheStack() {
        // given: 60 000 nested arrays fit under the size limit
        byte[] deep = "[".repeat(60_000).getBytes(StandardCharsets.US_ASCII);

        // when
        Validation result = validator.validate(SchemaType.COMMAND, deep);

        // then
        assertThat(((Validation.Invalid) result).first().message()).contains("nesting depth");
    }

    @Test
    void refusesEmptyAndBlankPayloads() {
        assertThat(validator.validate(SchemaType.ALERT, new byte[0]).isValid()).isFalse();
        assertThat(validator.validate(SchemaType.ALERT, " \n".getBytes(StandardCharsets.UTF_8)).isValid()).isFalse();
        assertThat(validator.validate(SchemaType.ALERT, null).isValid()).isFalse();
    }

    @Test
    void honoursASmallerConfiguredLimit() {
        // given
        SchemaValidator small = new SchemaValidator(1024);
        byte[] command = Json.write(Samples.schema(SchemaType.COMMAND).get("examples").get(0));
        byte[] padded = (Samples.utf8(command) + " ".repeat(1024)).getBytes(StandardCharsets.UTF_8);

        // when / then
        assertThat(small.validate(SchemaType.COMMAND, command).isValid()).isTrue();
        assertThat(small.validate(SchemaType.COMMAND, padded).isValid()).isFalse();
        assertThatThrownBy(() -> new SchemaValidator(10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void validatesConcurrentlyFromManyThreads() throws Exception {
        // given
        byte[] command = Json.write(Samples.schema(SchemaType.COMMAND).get("examples").get(0));
        SchemaValidator shared = new SchemaValidator();
        List<Future<Validation>> results = new ArrayList<>();

        // when
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 400; i++) {
                results.add(pool.submit(() -> shared.validate(SchemaType.COMMAND, command)));
            }
        }

        // then
        for (Future<Validation> f : results) {
            assertThat(f.get()).isInstanceOfSatisfying(Validation.Valid.class,
                    v -> assertThat(v.payload()).isInstanceOf(Command.class));
        }
    }
}
