package org.amtbus.wsman.message;

/** Namespaces, resource URIs, actions and fixed instance names of the WS-Man dialect AMT speaks. */
public final class Wsman {
    public static final String NS_SOAP = "http://www.w3.org/2003/05/soap-envelope";
    public static final String NS_ADDRESSING = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
    public static final String NS_WSMAN = "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd";
    public static final String NS_ENUMERATION = "http://schemas.xmlsoap.org/ws/2004/09/enumeration";
    public static final String NS_XSI = "http://www.w3.org/2001/XMLSchema-instance";
    public static final String NS_XSD = "http://www.w3.org/2001/XMLSchema";
    public static final String ANONYMOUS = NS_ADDRESSING + "/role/anonymous";
    public static final String TO = "/wsman";

    public static final String CIM = "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/";
    public static final String AMT = "http://intel.com/wbem/wscim/1/amt-schema/1/";
    public static final String IPS = "http://intel.com/wbem/wscim/1/ips-schema/1/";

    public static final String ACTION_GET = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Get";
    public static final String ACTION_PUT = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Put";
    public static final String ACTION_ENUMERATE = NS_ENUMERATION + "/Enumerate";
    public static final String ACTION_PULL = NS_ENUMERATION + "/Pull";
    public static final String ACTION_FAULT = NS_ADDRESSING + "/fault";

    public static final String POWER_MANAGEMENT_SERVICE = CIM + "CIM_PowerManagementService";
    public static final String ASSOCIATED_POWER_MANAGEMENT_SERVICE = CIM + "CIM_AssociatedPowerManagementService";
    public static final String SERVICE_AVAILABLE_TO_ELEMENT = CIM + "CIM_ServiceAvailableToElement";
    public static final String COMPUTER_SYSTEM = CIM + "CIM_ComputerSystem";
    public static final String SOFTWARE_IDENTITY = CIM + "CIM_SoftwareIdentity";
    public static final String BOOT_SERVICE = CIM + "CIM_BootService";
    public static final String BOOT_CONFIG_SETTING = CIM + "CIM_BootConfigSetting";
    public static final String GENERAL_SETTINGS = AMT + "AMT_GeneralSettings";
    public static final String SETUP_AND_CONFIGURATION_SERVICE = AMT + "AMT_SetupAndConfigurationService";
    public static final String BOOT_SETTING_DATA = AMT + "AMT_BootSettingData";
    public static final String HOST_BASED_SETUP_SERVICE = IPS + "IPS_HostBasedSetupService";
    public static final String AUTHORIZATION_SERVICE = AMT + "AMT_AuthorizationService";
    public static final String PUBLIC_KEY_MANAGEMENT_SERVICE = AMT + "AMT_PublicKeyManagementService";
    public static final String PUBLIC_KEY_CERTIFICATE = AMT + "AMT_PublicKeyCertificate";
    public static final String REMOTE_ACCESS_SERVICE = AMT + "AMT_RemoteAccessService";
    public static final String MANAGEMENT_PRESENCE_REMOTE_SAP = AMT + "AMT_ManagementPresenceRemoteSAP";
    public static final String REMOTE_ACCESS_POLICY_RULE = AMT + "AMT_RemoteAccessPolicyRule";
    public static final String REMOTE_ACCESS_POLICY_APPLIES_TO_MPS = AMT + "AMT_RemoteAccessPolicyAppliesToMPS";
    public static final String USER_INITIATED_CONNECTION_SERVICE = AMT + "AMT_UserInitiatedConnectionService";
    public static final String ENVIRONMENT_DETECTION_SETTING_DATA = AMT + "AMT_EnvironmentDetectionSettingData";
    /** User consent (opt-in) policy: {@code OptInRequired}. */
    public static final String OPT_IN_SERVICE = IPS + "IPS_OptInService";
    /** The wired (and wireless) interfaces' IPv4 settings; the wired one is instance 0. */
    public static final String ETHERNET_PORT_SETTINGS = AMT + "AMT_EthernetPortSettings";

    public static final String METHOD_REQUEST_POWER_STATE_CHANGE = "RequestPowerStateChange";
    public static final String METHOD_SET_BOOT_CONFIG_ROLE = "SetBootConfigRole";
    public static final String METHOD_CHANGE_BOOT_ORDER = "ChangeBootOrder";
    /** {@code IPS_HostBasedSetupService}: client control mode activation. */
    public static final String METHOD_SETUP = "Setup";
    public static final String METHOD_ADD_NEXT_CERT_IN_CHAIN = "AddNextCertInChain";
    public static final String METHOD_ADMIN_SETUP = "AdminSetup";
    /** {@code AMT_SetupAndConfigurationService}. */
    public static final String METHOD_SET_MEBX_PASSWORD = "SetMEBxPassword";
    public static final String METHOD_UNPROVISION = "Unprovision";
    /** {@code AMT_AuthorizationService}. */
    public static final String METHOD_SET_ADMIN_ACL_ENTRY_EX = "SetAdminAclEntryEx";
    /** {@code AMT_PublicKeyManagementService}. */
    public static final String METHOD_ADD_TRUSTED_ROOT_CERTIFICATE = "AddTrustedRootCertificate";
    /** {@code AMT_RemoteAccessService}. */
    public static final String METHOD_ADD_MP_SERVER = "AddMpServer";
    public static final String METHOD_ADD_REMOTE_ACCESS_POLICY_RULE = "AddRemoteAccessPolicyRule";
    /** {@code AMT_UserInitiatedConnectionService}. */
    public static final String METHOD_REQUEST_STATE_CHANGE = "RequestStateChange";

    public static final String BOOT_CONFIGURATION_0 = "Intel(r) AMT: Boot Configuration 0";
    public static final String MANAGED_SYSTEM = "ManagedSystem";

    /** Pull limits as Open AMT sends them. */
    public static final int PULL_MAX_ELEMENTS = 999;
    public static final int PULL_MAX_CHARACTERS = 99999;

    private Wsman() {
    }

    /** The class name at the end of a resource URI, e.g. {@code CIM_SoftwareIdentity}. */
    public static String className(String resourceUri) {
        return resourceUri.substring(resourceUri.lastIndexOf('/') + 1);
    }
}
