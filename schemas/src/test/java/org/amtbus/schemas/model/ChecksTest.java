package org.amtbus.schemas.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ChecksTest {

    /** The definition the loop replaces. */
    private static final Pattern NO_CONTROL = Pattern.compile("[^\\x00-\\x1F\\x7F]*");

    @Test
    void noControlAgreesWithTheRegexForEveryCharacter() {
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            String s = "a" + (char) c + "b";
            assertThat(Checks.noControl(s)).as("U+%04X", c).isEqualTo(NO_CONTROL.matcher(s).matches());
        }
        for (String s : new String[] {"", "plain", "emoji \uD83D\uDE00", "tab\tinside", "nul\0", "del\u007F", "nl\n"}) {
            assertThat(Checks.noControl(s)).as(s).isEqualTo(NO_CONTROL.matcher(s).matches());
        }
    }
}
