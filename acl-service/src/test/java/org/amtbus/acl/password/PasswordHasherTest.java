package org.amtbus.acl.password;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    // small parameters keep the unit test fast; the format and checks are the same
    private final PasswordHasher hasher = new PasswordHasher(64, 1, 1, new SecureRandom());

    @Test
    void verifiesTheRightPasswordAndRefusesAWrongOne() {
        // given
        String stored = hasher.hash("correct horse battery".toCharArray());
        // then
        assertThat(stored).startsWith("$argon2id$v=19$m=64,t=1,p=1$").doesNotContain("correct");
        assertThat(hasher.verify("correct horse battery".toCharArray(), stored)).isTrue();
        assertThat(hasher.verify("correct horse batterx".toCharArray(), stored)).isFalse();
        assertThat(hasher.verify(new char[0], stored)).isFalse();
    }

    @Test
    void saltsEveryHashDifferently() {
        assertThat(hasher.hash("same".toCharArray())).isNotEqualTo(hasher.hash("same".toCharArray()));
    }

    @Test
    void refusesMalformedOrAbusiveStoredHashesInsteadOfThrowing() {
        assertThat(hasher.verify("x".toCharArray(), null)).isFalse();
        assertThat(hasher.verify("x".toCharArray(), "plaintext")).isFalse();
        assertThat(hasher.verify("x".toCharArray(), "$argon2i$v=19$m=64,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).isFalse();
        // a row claiming 4 GiB of memory must not be honoured
        assertThat(hasher.verify("x".toCharArray(), "$argon2id$v=19$m=4194304,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).isFalse();
    }

    @Test
    void asksForRehashWhenParametersWereWeaker() {
        String weak = hasher.hash("pw".toCharArray());
        PasswordHasher stronger = new PasswordHasher(128, 2, 1, new SecureRandom());
        assertThat(stronger.needsRehash(weak)).isTrue();
        assertThat(stronger.verify("pw".toCharArray(), weak)).isTrue();
        assertThat(hasher.needsRehash(weak)).isFalse();
    }

    @Test
    void matchesTheArgon2idReferenceVector() {
        // produced by the reference implementation (Debian's argon2 CLI):
        // echo -n password | argon2 somesaltsomesalt -id -t 2 -m 6 -p 1 -l 32 -e
        String reference = "$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Gpj7qOY5RCXJvcMzqcdQqvgR3wcPX7SleI4c9NtXk6E";
        assertThat(hasher.verify("password".toCharArray(), reference)).isTrue();
    }
}
