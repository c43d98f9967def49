package org.amtbus.provisioning.profile;

/** PostgreSQL or the secret store could not read or write provisioning data; the message holds no secret. */
public final class ProvisioningStoreException extends RuntimeException {
    public ProvisioningStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
