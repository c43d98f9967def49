package org.amtbus.sim.amt;

/**
 * Why the simulated firmware last refused an activation or configuration call, for tests and logs (real
 * firmware keeps such a reason in its audit log; the wire carries only the ReturnValue).
 */
public enum ProvisioningRefusal {
    /** The call needs another provisioning state (e.g. Setup on an activated device). */
    WRONG_PROVISIONING_STATE,
    /** The call needs admin control mode (SetMEBxPassword in CCM). */
    NOT_PERMITTED_IN_THIS_MODE,
    /** A parameter is missing or malformed. */
    INVALID_PARAMETER,
    /** A certificate came out of order: no leaf first, or one after the root. */
    CHAIN_OUT_OF_ORDER,
    /** More than {@link ProvisioningChain#MAX_CERTIFICATES} certificates. */
    CHAIN_TOO_LONG,
    /** A certificate is not signed by the next one, or the root is not self-signed. */
    BROKEN_CHAIN,
    /** A certificate of the chain is expired or not yet valid. */
    CERTIFICATE_NOT_VALID_NOW,
    /** The root's fingerprint is not among the device's trusted root hashes. */
    UNKNOWN_ROOT,
    /** AdminSetup before the root was added. */
    CHAIN_INCOMPLETE,
    /** The leaf's CN and DNS SANs do not end with the device's DNS suffix. */
    DNS_SUFFIX_MISMATCH,
    /** The signature over ConfigurationNonce || McNonce does not verify with the leaf's key. */
    BAD_SIGNATURE,
    /** A referenced instance (e.g. the MPS of a policy rule) does not exist. */
    NOT_FOUND
}
