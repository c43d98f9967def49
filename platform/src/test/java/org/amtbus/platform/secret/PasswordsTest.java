package org.amtbus.platform.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PasswordsTest {

    @Test
    void everyAmtPasswordMeetsTheFirmwareRuleAndNoneRepeats() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            char[] p = Passwords.amtPassword().revealChars();
            assertThat(Passwords.meetsAmtRule(p)).as(new String(p)).isTrue();
            assertThat(new String(p)).doesNotContain(":", ",", "\"", " ");
            assertThat(seen.add(new String(p))).isTrue();
        }
    }

    @Test
    void theRuleRefusesWeakPasswords() {
        assertThat(Passwords.meetsAmtRule("P@ssw0rd".toCharArray())).isTrue();
        assertThat(Passwords.meetsAmtRule("password".toCharArray())).isFalse();
        assertThat(Passwords.meetsAmtRule("P@ss0".toCharArray())).isFalse();
        assertThat(Passwords.meetsAmtRule("P@ssw0rd:x".toCharArray())).isFalse();
    }

    @Test
    void tokensAreLongAndDistinct() {
        Secret a = Passwords.token(24);
        Secret b = Passwords.token(24);
        assertThat(a.length()).isEqualTo(32);
        assertThat(a.matches(b)).isFalse();
    }
}
