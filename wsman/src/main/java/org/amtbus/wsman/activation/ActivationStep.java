package org.amtbus.wsman.activation;

import org.amtbus.wsman.message.Wsman;

/**
 * One WS-Man exchange of activation, CIRA configuration or deactivation: the class it addresses, the
 * method or operation, and the table its ReturnValue follows ({@code null} for Get, Enumerate/Pull and Put,
 * which have none).
 */
public enum ActivationStep {
    READ_GENERAL_SETTINGS(Wsman.GENERAL_SETTINGS, "Get", null),
    READ_HOST_BASED_SETUP(Wsman.HOST_BASED_SETUP_SERVICE, "Get", null),
    READ_PROVISIONING_STATUS(Wsman.SETUP_AND_CONFIGURATION_SERVICE, "Get", null),
    SETUP_CLIENT_CONTROL(Wsman.HOST_BASED_SETUP_SERVICE, Wsman.METHOD_SETUP, ReturnCodeTable.HOST_BASED_SETUP),
    ADD_NEXT_CERT_IN_CHAIN(Wsman.HOST_BASED_SETUP_SERVICE, Wsman.METHOD_ADD_NEXT_CERT_IN_CHAIN, ReturnCodeTable.CERTIFICATE_CHAIN),
    ADMIN_SETUP(Wsman.HOST_BASED_SETUP_SERVICE, Wsman.METHOD_ADMIN_SETUP, ReturnCodeTable.HOST_BASED_SETUP),
    SET_MEBX_PASSWORD(Wsman.SETUP_AND_CONFIGURATION_SERVICE, Wsman.METHOD_SET_MEBX_PASSWORD, ReturnCodeTable.PT_STATUS),
    SET_ADMIN_ACL_ENTRY(Wsman.AUTHORIZATION_SERVICE, Wsman.METHOD_SET_ADMIN_ACL_ENTRY_EX, ReturnCodeTable.PT_STATUS),
    ADD_TRUSTED_ROOT_CERTIFICATE(Wsman.PUBLIC_KEY_MANAGEMENT_SERVICE, Wsman.METHOD_ADD_TRUSTED_ROOT_CERTIFICATE,
            ReturnCodeTable.PT_STATUS),
    ADD_MP_SERVER(Wsman.REMOTE_ACCESS_SERVICE, Wsman.METHOD_ADD_MP_SERVER, ReturnCodeTable.PT_STATUS),
    FIND_MANAGEMENT_PRESENCE_SAP(Wsman.MANAGEMENT_PRESENCE_REMOTE_SAP, "Enumerate/Pull", null),
    ADD_REMOTE_ACCESS_POLICY_RULE(Wsman.REMOTE_ACCESS_SERVICE, Wsman.METHOD_ADD_REMOTE_ACCESS_POLICY_RULE,
            ReturnCodeTable.PT_STATUS),
    PUT_POLICY_APPLIES_TO_MPS(Wsman.REMOTE_ACCESS_POLICY_APPLIES_TO_MPS, "Enumerate/Pull/Put", null),
    ENABLE_USER_INITIATED_CONNECTION(Wsman.USER_INITIATED_CONNECTION_SERVICE, Wsman.METHOD_REQUEST_STATE_CHANGE,
            ReturnCodeTable.PT_STATUS),
    PUT_ENVIRONMENT_DETECTION(Wsman.ENVIRONMENT_DETECTION_SETTING_DATA, "Get/Put", null),
    PUT_USER_CONSENT(Wsman.OPT_IN_SERVICE, "Get/Put", null),
    PUT_WIRED_NETWORK(Wsman.ETHERNET_PORT_SETTINGS, "Get/Put", null),
    UNPROVISION(Wsman.SETUP_AND_CONFIGURATION_SERVICE, Wsman.METHOD_UNPROVISION, ReturnCodeTable.PT_STATUS);

    private final String resourceUri;
    private final String operation;
    private final ReturnCodeTable codes;

    ActivationStep(String resourceUri, String operation, ReturnCodeTable codes) {
        this.resourceUri = resourceUri;
        this.operation = operation;
        this.codes = codes;
    }

    public String resourceUri() {
        return resourceUri;
    }

    /** The method name, or the WS-Transfer/Enumeration operations used. */
    public String operation() {
        return operation;
    }

    /** The ReturnValue table, or null when the step has no ReturnValue. */
    public ReturnCodeTable codes() {
        return codes;
    }

    /** E.g. {@code IPS_HostBasedSetupService.AdminSetup}. */
    public String label() {
        return Wsman.className(resourceUri) + "." + operation;
    }
}
