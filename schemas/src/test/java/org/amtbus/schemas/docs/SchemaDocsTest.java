package org.amtbus.schemas.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.amtbus.schemas.SchemaType;
import org.amtbus.schemas.topic.KafkaTopics;
import org.amtbus.schemas.topic.MqttTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SchemaDocsTest {

    /** The repository root: the parent of this module's directory (surefire runs in the module). */
    private static Path repoRoot() {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        Path root = module.getParent();
        assertThat(root.resolve("mvnw")).as("repository root above " + module).exists();
        return root;
    }

    @Test
    void committedPageMatchesTheSchemaFiles() throws IOException {
        // given
        Path page = repoRoot().resolve(SchemaDocs.DOCS_PATH);
        String rendered = SchemaDocs.render();
        if (Boolean.getBoolean("amtbus.docs.update")) {
            Files.createDirectories(page.getParent());
            Files.writeString(page, rendered, StandardCharsets.UTF_8);
        }

        // when
        String committed = Files.exists(page) ? Files.readString(page, StandardCharsets.UTF_8) : "";

        // then
        assertThat(committed)
                .as(SchemaDocs.DOCS_PATH + " is out of date; regenerate it from the repository root with:\n  "
                        + SchemaDocs.REGENERATE + "\nand commit it")
                .isEqualTo(rendered);
    }

    @ParameterizedTest
    @EnumSource(SchemaType.class)
    void documentsEveryFieldAndTheExampleOfEachType(SchemaType type) {
        String page = SchemaDocs.render();

        assertThat(page).contains("## " + type.recordClass().getSimpleName(), "`" + type.schemaId() + "`");
    }

    @ParameterizedTest
    @EnumSource(SchemaType.class)
    void documentedTopicsAreTheOnesTheParserKnows(SchemaType type) {
        for (String template : SchemaDocs.TOPICS.get(type)) {
            if (template.startsWith("amtbus/")) {
                String concrete = template.replace("{tenant}", "acme")
                        .replace("{guid}", "8c3a0e5e-2b1f-4d6a-9c4e-1f2a3b4c5d6e");
                assertThat(MqttTopic.parse(concrete).payloadType()).as(template).isEqualTo(type);
            } else if (!template.startsWith(KafkaTopics.GATEWAY_PREFIX)) {
                assertThat(template).isIn(KafkaTopics.COMMANDS, KafkaTopics.RESULTS, KafkaTopics.PRESENCE,
                        KafkaTopics.EVENTS, KafkaTopics.PROVISIONING, KafkaTopics.AUDIT, KafkaTopics.ALERTS);
            }
        }
    }
}
