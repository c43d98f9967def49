package org.amtbus.app;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a process does. {@code amtbus run} runs them all; {@code --roles broker,gateway} runs some, so the same jar
 * scales out: several brokers, gateways and routers sharing Kafka, PostgreSQL and the secret store.
 */
enum Role {
    /** MQTT over TLS with level enforcement, and the bridges between MQTT and Kafka. */
    BROKER("broker"),
    /** The HTTPS ACL API (the mosquitto-go-auth endpoints). */
    API("api"),
    /** The CIRA listener: devices, presence, commands over APF. */
    GATEWAY("gateway"),
    /** Validation, authorization, de-duplication and routing of commands, one result each. */
    ROUTER("router"),
    /** The tamper-evident audit trail. */
    AUDIT_SINK("audit-sink"),
    /** Applies profiles to devices (activation, CIRA configuration) through an agent relay. */
    PROVISIONING("provisioning");

    final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    /** Parses {@code all} or a list of role names; throws with the list of known names otherwise. */
    static Set<Role> parse(List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no role given; known: all, " + known());
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String raw : names) {
            String name = raw.strip().toLowerCase(Locale.ROOT);
            if (name.equals("all")) {
                roles.addAll(EnumSet.allOf(Role.class));
                continue;
            }
            Role match = null;
            for (Role r : values()) {
                if (r.wireName.equals(name)) {
                    match = r;
                }
            }
            if (match == null) {
                throw new IllegalArgumentException("unknown role '" + raw + "'; known: all, " + known());
            }
            roles.add(match);
        }
        return roles;
    }

    private static String known() {
        StringBuilder b = new StringBuilder();
        for (Role r : values()) {
            b.append(b.isEmpty() ? "" : ", ").append(r.wireName);
        }
        return b.toString();
    }
}
