package org.amtbus.schemas.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.SchemaType;
import org.amtbus.schemas.SchemaValidator;
import org.amtbus.schemas.Validation;
import org.junit.jupiter.api.Test;

class PayloadRecordsTest {
    private static final TenantId ACME = new TenantId("acme");
    private static final DeviceGuid GUID = new DeviceGuid("8c3a0e5e-2b1f-4d6a-9c4e-1f2a3b4c5d6e");
    private static final Instant NOW = Instant.parse("2025-01-31T12:00:00Z");

    @Test
    void aBuiltCommandSerializesToAPayloadTheValidatorAccepts() {
        // given
        Command command = new Command(UUID.randomUUID(), ACME, GUID, CommandAction.POWER_RESET, 30,
                Map.of("bootOnce", true), NOW);

        // when
        Validation result = new SchemaValidator().validate(SchemaType.COMMAND, Json.write(command));

        // then
        assertThat(result).isEqualTo(new Validation.Valid(command));
        assertThat(Json.writeString(command)).startsWith("{\"schema\":\"amtbus.command/v1\",");
    }

    @Test
    void aBadGuidCannotExist() {
        assertThatThrownBy(() -> new DeviceGuid("8C3A0E5E-2B1F-4D6A-9C4E-1F2A3B4C5D6E"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeviceGuid("8c3a0e5e-2b1f-4d6a-9c4e-1f2a3b4c5d6e\n"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(DeviceGuid.of(UUID.fromString("8C3A0E5E-2B1F-4D6A-9C4E-1F2A3B4C5D6E"))).isEqualTo(GUID);
    }

    @Test
    void tenantsCannotCarryTopicSyntax() {
        for (String bad : List.of("a/b", "a+", "#", "", "Acme", "a\0", "-a", "a".repeat(64))) {
            assertThatThrownBy(() -> new TenantId(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aFailedResultWithoutAReasonNamesTheReasonField() {
        assertThatThrownBy(() -> new CommandResult(UUID.randomUUID(), UUID.randomUUID(), ACME, GUID,
                CommandResult.Status.FAILED, null, null, null, null, NOW))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("reason"));
    }

    @Test
    void aConnectedPresenceNeedsItsGateway() {
        assertThatThrownBy(() -> new Presence(UUID.randomUUID(), ACME, GUID, Presence.State.CONNECTED, null, NOW,
                null, NOW))
                .isInstanceOfSatisfying(InvalidFieldException.class,
                        e -> assertThat(e.field()).isEqualTo("gatewayId"));
    }

    @Test
    void ttlOutsideOneToThreeThousandSixHundredSecondsIsRefused() {
        assertThatThrownBy(() -> new Command(UUID.randomUUID(), ACME, GUID, CommandAction.POWER_ON, 0, null, NOW))
                .isInstanceOf(InvalidFieldException.class).hasMessageStartingWith("ttlSeconds:");
        assertThatThrownBy(() -> new Command(UUID.randomUUID(), ACME, GUID, CommandAction.POWER_ON, 3601, null, NOW))
                .isInstanceOf(InvalidFieldException.class);
    }

    @Test
    void paramsAreCopiedAndCannotBeChangedAfterwards() {
        // given
        Map<String, Object> params = new HashMap<>(Map.of("delay", 5));
        Command command = new Command(UUID.randomUUID(), ACME, GUID, CommandAction.POWER_ON, null, params, NOW);

        // when
        params.put("later", "sneaky");

        // then
        assertThat(command.params()).containsOnlyKeys("delay");
        assertThatThrownBy(() -> command.params().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nestedParamValuesAreRefused() {
        assertThatThrownBy(() -> new Command(UUID.randomUUID(), ACME, GUID, CommandAction.POWER_ON, null,
                Map.of("nested", Map.of("a", 1)), NOW))
                .isInstanceOfSatisfying(InvalidFieldException.class,
                        e -> assertThat(e.field()).isEqualTo("params/nested"));
    }

    @Test
    void auditTextCannotSmuggleALineBreakIntoSiemOutput() {
        assertThatThrownBy(() -> new AuditEvent(UUID.randomUUID(), NOW, "auth.login", AuditEvent.Actor.user("alice"),
                null, ACME, null, AuditEvent.Outcome.FAILURE, "bad\nCEF:0|forged", null))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("reason"));
        assertThatThrownBy(() -> new AuditEvent(UUID.randomUUID(), NOW, "auth.login", AuditEvent.Actor.user("alice"),
                null, ACME, null, AuditEvent.Outcome.FAILURE, null, Map.of("note", "a\r\nb")))
                .isInstanceOfSatisfying(InvalidFieldException.class,
                        e -> assertThat(e.field()).isEqualTo("details/note"));
    }

    @Test
    void optionalCollectionsAreEmptyRatherThanNull() {
        Alert alert = new Alert(UUID.randomUUID(), NOW, "auth.failures-per-minute", Alert.Severity.WARNING, ACME,
                "6 failed logins", null);

        assertThat(alert.relatedEventIds()).isEmpty();
        assertThat(Json.writeString(alert)).doesNotContain("relatedEventIds");
    }

    @Test
    void aWrongSchemaConstantIsRefused() {
        assertThatThrownBy(() -> new ProvisioningRequest("amtbus.provisioning-request/v2", UUID.randomUUID(), ACME,
                GUID, null, "acm-office", NOW))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("schema"));
    }

    @Test
    void aRequestWithoutAnActionAppliesItsProfileAndADeactivationNamesNone() throws Exception {
        ProvisioningRequest first = Json.read(("{\"schema\":\"amtbus.provisioning-request/v1\",\"id\":\"" + UUID.randomUUID()
                + "\",\"tenant\":\"acme\",\"guid\":\"" + GUID.value() + "\",\"profile\":\"acm-office\",\"time\":\""
                + NOW + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8), ProvisioningRequest.class);
        assertThat(first.action()).isEqualTo(ProvisioningRequest.Action.APPLY);

        ProvisioningRequest deactivation = ProvisioningRequest.deactivation(UUID.randomUUID(), ACME, GUID, NOW);
        assertThat(Json.writeString(deactivation)).contains("\"action\":\"deactivate\"").doesNotContain("profile");
        assertThat(Json.read(Json.write(deactivation), ProvisioningRequest.class)).isEqualTo(deactivation);
        assertThatThrownBy(() -> new ProvisioningRequest(ProvisioningRequest.SCHEMA, UUID.randomUUID(), ACME, GUID,
                ProvisioningRequest.Action.DEACTIVATE, "acm-office", NOW))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("profile"));
        assertThatThrownBy(() -> new ProvisioningRequest(UUID.randomUUID(), ACME, GUID, null, NOW))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("profile"));
    }

    @Test
    void commandActionsMapToTheirWireNames() {
        assertThat(CommandAction.fromWireName("power.reset.bios")).contains(CommandAction.POWER_RESET_BIOS);
        assertThat(CommandAction.fromWireName("POWER_ON")).isEmpty();
        assertThat(CommandAction.POWER_OFF_HARD.wireName()).isEqualTo("power.off.hard");
    }
}
