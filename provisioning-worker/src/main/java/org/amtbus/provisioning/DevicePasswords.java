package org.amtbus.provisioning;

import java.util.Arrays;
import java.util.Optional;
import org.amtbus.platform.secret.Passwords;
import org.amtbus.platform.secret.Secret;
import org.amtbus.wsman.digest.Password;

/**
 * One device's freshly generated passwords: AMT admin, CIRA and (ACM only: CCM cannot set it) MEBx, each
 * from {@link Passwords#amtPassword()} ({@code SecureRandom}, AMT's complexity rule) and different from the
 * others. {@link #toString()} hides them; nothing here is ever logged.
 */
public final class DevicePasswords {

    private final Secret admin;
    private final Secret cira;
    private final Optional<Secret> mebx;

    private DevicePasswords(Secret admin, Secret cira, Optional<Secret> mebx) {
        this.admin = admin;
        this.cira = cira;
        this.mebx = mebx;
    }

    /** New passwords; {@code withMebx} for ACM. */
    public static DevicePasswords generate(boolean withMebx) {
        Secret admin = Passwords.amtPassword();
        Secret cira = distinct(admin);
        Optional<Secret> mebx = withMebx ? Optional.of(distinct(admin, cira)) : Optional.empty();
        return new DevicePasswords(admin, cira, mebx);
    }

    private static Secret distinct(Secret... others) {
        while (true) {
            Secret s = Passwords.amtPassword();
            if (Arrays.stream(others).noneMatch(s::matches)) {
                return s;
            }
        }
    }

    public Secret admin() {
        return admin;
    }

    public Secret cira() {
        return cira;
    }

    public Optional<Secret> mebx() {
        return mebx;
    }

    /** A WS-Man password from a secret (the char copy is wiped). */
    static Password password(Secret secret) {
        char[] chars = secret.revealChars();
        try {
            return Password.of(chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    @Override
    public String toString() {
        return "DevicePasswords[admin=[hidden], cira=[hidden], mebx=" + (mebx.isPresent() ? "[hidden]" : "none") + "]";
    }
}
