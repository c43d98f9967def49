package org.amtbus.acl.password;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordPolicyTest {

    private final PasswordPolicy policy = new PasswordPolicy();

    @Test
    void acceptsALongUncommonPassword() {
        assertThat(policy.check("alice", "violet tractor in the rain".toCharArray())).isEmpty();
    }

    @Test
    void refusesShortCommonRepetitiveAndUsernameBasedPasswords() {
        assertThat(policy.check("alice", "short1!".toCharArray())).hasValueSatisfying(r -> assertThat(r).contains("12"));
        assertThat(policy.check("alice", "Password1234".toCharArray())).contains("this password is too common");
        assertThat(policy.check("alice", "aaaaaaaaaaaaaaaa".toCharArray())).contains("this password is too common");
        assertThat(policy.check("alice", "my-ALICE-password".toCharArray())).contains("a password must not contain the username");
        assertThat(policy.check("alice", "x".repeat(300).toCharArray())).isPresent();
    }

    @Test
    void reasonsNeverRepeatThePassword() {
        assertThat(policy.check("bob", "bob-secret-value".toCharArray())).hasValueSatisfying(r -> assertThat(r).doesNotContain("secret-value"));
    }
}
