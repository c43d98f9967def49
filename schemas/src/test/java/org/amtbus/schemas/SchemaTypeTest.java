package org.amtbus.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SchemaTypeTest {

    @ParameterizedTest
    @EnumSource(SchemaType.class)
    void schemaFileIdAndConstantAgreeWithTheEnum(SchemaType type) {
        JsonNode schema = Samples.schema(type);

        assertThat(schema.path("$id").asText()).isEqualTo(type.uri().toString());
        assertThat(schema.path("properties").path("schema").path("const").asText()).isEqualTo(type.schemaId());
        assertThat(type.schemaId()).isEqualTo("amtbus." + type.typeName() + "/v1");
        assertThat(SchemaType.fromSchemaId(type.schemaId())).contains(type);
        assertThat(SchemaType.fromTypeName(type.typeName())).contains(type);
        assertThat(SchemaType.forRecord(type.recordClass())).contains(type);
    }

    @ParameterizedTest
    @EnumSource(SchemaType.class)
    void recordComponentsAreExactlyTheSchemaFieldsInOrder(SchemaType type) {
        // given
        JsonNode schema = Samples.schema(type);
        List<String> schemaFields = StreamSupport.stream(
                java.util.Spliterators.spliteratorUnknownSize(schema.path("properties").fieldNames(), 0), false)
                .toList();

        // when
        List<String> components = Arrays.stream(type.recordClass().getRecordComponents())
                .map(java.lang.reflect.RecordComponent::getName).toList();

        // then: a field added to one side only is caught here
        assertThat(components).containsExactlyElementsOf(schemaFields);
        assertThat(schema.path("additionalProperties").asBoolean(true)).as("closed object").isFalse();
    }
}
