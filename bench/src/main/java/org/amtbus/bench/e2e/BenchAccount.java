package org.amtbus.bench.e2e;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The ordinary (not superuser) account the MQTT load logs in with, so the node's broker checks its ACL on every
 * publish and subscribe: user {@code bench}, a fresh random password per run (kept in memory, passed on standard
 * input only), level 3 on {@code bench/#}.
 */
final class BenchAccount {

    static final String USER = "bench";
    static final String TOPICS = "bench/#";

    private BenchAccount() {
    }

    static char[] newPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
    }

    /** Creates the account on the node (or resets its password when a reused data dir has it) and grants it. */
    static void create(NodeProcess node, char[] password) {
        byte[] stdin = (new String(password) + "\n").getBytes(StandardCharsets.UTF_8);
        if (node.operator(List.of("user", "add", USER), stdin) != 0
                && node.operator(List.of("user", "passwd", USER), stdin) != 0) {
            throw new IllegalStateException("cannot create or update the bench account; see the node log");
        }
        if (node.operator(List.of("acl", "grant", USER, TOPICS, "3"), new byte[0]) != 0) {
            throw new IllegalStateException("cannot grant the bench account " + TOPICS);
        }
        NodeProcess.sleep(1_500); // grants reach the broker within a second
    }
}
