package org.amtbus.wsman.activation;

import java.util.Locale;
import java.util.Map;

/**
 * The meaning of a method's {@code ReturnValue}, per the table the method follows (amt-protocols.md section
 * 4.5): the {@code IPS_HostBasedSetupService} tables for Setup/AdminSetup and for AddNextCertInChain, and
 * PT_STATUS for the {@code AMT_*} methods. Descriptions never contain request data.
 */
public enum ReturnCodeTable {
    /** {@code Setup}, {@code AdminSetup}; see {@link SetupReturn}. */
    HOST_BASED_SETUP(Map.of(0, "success", 1, "internal error", 2, "invalid state", 3, "invalid parameter",
            4, "method disabled", 5, "authentication failed", 6, "flash write limit exceeded")),
    /** {@code AddNextCertInChain}; see {@link ChainReturn}. */
    CERTIFICATE_CHAIN(Map.of(0, "success", 1, "invalid parameter", 2, "internal error", 3, "invalid state",
            4, "certificate verification failed", 5, "certificate chain too long")),
    /** The {@code AMT_*} methods; see {@link PtStatus}. */
    PT_STATUS(Map.ofEntries(Map.entry(PtStatus.SUCCESS, "SUCCESS"), Map.entry(PtStatus.INTERNAL_ERROR, "INTERNAL_ERROR"),
            Map.entry(PtStatus.NOT_READY, "NOT_READY"), Map.entry(PtStatus.NOT_PERMITTED, "NOT_PERMITTED"),
            Map.entry(PtStatus.INVALID_PROVISIONING_STATE, "INVALID_PROVISIONING_STATE"),
            Map.entry(PtStatus.INVALID_PARAMETER, "INVALID_PARAMETER"), Map.entry(PtStatus.INVALID_PASSWORD, "INVALID_PASSWORD"),
            Map.entry(PtStatus.UNSUPPORTED, "UNSUPPORTED"), Map.entry(PtStatus.NOT_FOUND, "NOT_FOUND"),
            Map.entry(PtStatus.USER_CONSENT_REQUIRED, "USER_CONSENT_REQUIRED")));

    private final Map<Integer, String> meanings;

    ReturnCodeTable(Map<Integer, String> meanings) {
        this.meanings = meanings;
    }

    /** E.g. {@code 5 (authentication failed)} or {@code 0x20 (INVALID_PROVISIONING_STATE)}. */
    public String describe(int returnValue) {
        String meaning = meanings.getOrDefault(returnValue, "unknown code");
        String number = this == PT_STATUS ? "0x" + Integer.toHexString(returnValue).toUpperCase(Locale.ROOT)
                : Integer.toString(returnValue);
        return number + " (" + meaning + ")";
    }
}
