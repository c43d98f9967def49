package org.amtbus.audit.chain;

import java.util.regex.Pattern;

/**
 * One audit stream: the Kafka key producers put on every {@code amtbus.audit} record (a service
 * instance such as {@code broker-1}). Each stream has its own sequence numbers and hash chain.
 * Invariant: matches {@value #PATTERN}, so it is safe in SQL parameters, logs and SIEM fields.
 */
public record StreamId(String value) {

    public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}";
    private static final Pattern VALID = Pattern.compile(PATTERN);

    public StreamId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("an audit stream id must be 1-128 letters, digits, '.', '_', ':', '@' "
                    + "or '-', starting with a letter or digit");
        }
    }

    /** Whether {@code value} is a valid stream id (no exception for the caller to catch). */
    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
