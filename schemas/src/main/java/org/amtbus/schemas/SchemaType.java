package org.amtbus.schemas;

import java.net.URI;
import java.util.Arrays;
import java.util.Optional;
import org.amtbus.schemas.model.Alert;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.Command;
import org.amtbus.schemas.model.CommandResult;
import org.amtbus.schemas.model.DeviceEvent;
import org.amtbus.schemas.model.Presence;
import org.amtbus.schemas.model.ProvisioningRequest;
import org.amtbus.schemas.model.ProvisioningStatus;

/**
 * The v1 payload types. Each maps its type name ({@code command-result}) to its schema file, its
 * {@code $id}, its record class and the {@code schema} constant every payload carries
 * ({@code amtbus.command-result/v1}).
 */
public enum SchemaType {
    COMMAND("command", Command.class, Command.SCHEMA),
    COMMAND_RESULT("command-result", CommandResult.class, CommandResult.SCHEMA),
    PRESENCE("presence", Presence.class, Presence.SCHEMA),
    DEVICE_EVENT("device-event", DeviceEvent.class, DeviceEvent.SCHEMA),
    PROVISIONING_REQUEST("provisioning-request", ProvisioningRequest.class, ProvisioningRequest.SCHEMA),
    PROVISIONING_STATUS("provisioning-status", ProvisioningStatus.class, ProvisioningStatus.SCHEMA),
    AUDIT_EVENT("audit-event", AuditEvent.class, AuditEvent.SCHEMA),
    ALERT("alert", Alert.class, Alert.SCHEMA);

    /** Base of every v1 {@code $id}; mapped to the classpath, never fetched. */
    public static final String ID_BASE = "https://amtbus.org/schemas/v1/";
    /** Classpath folder of the v1 schema files. */
    public static final String RESOURCE_DIR = "org/amtbus/schemas/v1/";
    /** File holding the definitions shared by all v1 schemas. */
    public static final String COMMON_FILE = "common.schema.json";

    private final String typeName;
    private final Class<? extends Record> recordClass;
    private final String schemaId;

    SchemaType(String typeName, Class<? extends Record> recordClass, String schemaId) {
        this.typeName = typeName;
        this.recordClass = recordClass;
        this.schemaId = schemaId;
    }

    /** E.g. {@code command-result}. */
    public String typeName() {
        return typeName;
    }

    /** The {@code schema} constant, e.g. {@code amtbus.command-result/v1}. */
    public String schemaId() {
        return schemaId;
    }

    public Class<? extends Record> recordClass() {
        return recordClass;
    }

    /** File name, e.g. {@code command-result.schema.json}. */
    public String fileName() {
        return typeName + ".schema.json";
    }

    /** Classpath resource of the schema file. */
    public String resource() {
        return RESOURCE_DIR + fileName();
    }

    /** The schema's {@code $id}. */
    public URI uri() {
        return URI.create(ID_BASE + fileName());
    }

    public static Optional<SchemaType> fromSchemaId(String schemaId) {
        return Arrays.stream(values()).filter(t -> t.schemaId.equals(schemaId)).findFirst();
    }

    public static Optional<SchemaType> fromTypeName(String typeName) {
        return Arrays.stream(values()).filter(t -> t.typeName.equals(typeName)).findFirst();
    }

    public static Optional<SchemaType> forRecord(Class<?> recordClass) {
        return Arrays.stream(values()).filter(t -> t.recordClass.equals(recordClass)).findFirst();
    }
}
