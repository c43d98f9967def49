package org.amtbus.sim.amt;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.amtbus.sim.amt.SimulatedDevice.ControlMode;
import org.amtbus.wsman.activation.ActivationSteps;
import org.amtbus.wsman.activation.ChainReturn;
import org.amtbus.wsman.activation.PtStatus;
import org.amtbus.wsman.activation.SetupReturn;
import org.amtbus.wsman.activation.WiredNetwork;
import org.amtbus.wsman.digest.Password;
import org.amtbus.wsman.message.Wsman;
import org.amtbus.wsman.message.XmlElement;

/**
 * The firmware side of activation, CIRA configuration and deactivation for one {@link SimulatedDevice}:
 * {@code IPS_HostBasedSetupService} Setup/AddNextCertInChain/AdminSetup (their own return-code tables),
 * and SetMEBxPassword, Unprovision, SetAdminAclEntryEx, AddTrustedRootCertificate, AddMpServer,
 * AddRemoteAccessPolicyRule and the user-initiated RequestStateChange (PT_STATUS), plus the instances
 * CIRA configuration reads and Puts. Every refusal records a {@link ProvisioningRefusal} on the device.
 * State changes happen under the device's monitor; inputs are already-parsed (SafeXml) elements.
 */
final class ProvisioningMethods {
    static final String SAP_CLASS = "AMT_ManagementPresenceRemoteSAP";
    static final String RULE_CLASS = "AMT_RemoteAccessPolicyRule";
    static final String ENVIRONMENT_DETECTION_ID = "Intel(r) AMT Environment Detection Settings";

    /** A method's ReturnValue and any further output parameters (raw XML in prefix {@code g}). */
    record Reply(int returnValue, String outputXml) {
        static Reply of(int returnValue) {
            return new Reply(returnValue, "");
        }
    }

    /** The outcome of a Put: the stored instance to echo, or a fault subcode and reason. */
    record PutResult(Map<String, Object> instance, String faultSubcode, String faultReason) {
    }

    private final SimulatedDevice device;
    private final Clock clock;

    ProvisioningMethods(SimulatedDevice device, Clock clock) {
        this.device = Objects.requireNonNull(device, "device");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The reply to {@code uri/method}, or empty when that is not a provisioning method. */
    Optional<Reply> invoke(String uri, String method, XmlElement input) {
        synchronized (device) {
            return Optional.ofNullable(switch (uri + "/" + method) {
                case Wsman.HOST_BASED_SETUP_SERVICE + "/" + Wsman.METHOD_SETUP -> setup(input);
                case Wsman.HOST_BASED_SETUP_SERVICE + "/" + Wsman.METHOD_ADD_NEXT_CERT_IN_CHAIN -> addNextCertInChain(input);
                case Wsman.HOST_BASED_SETUP_SERVICE + "/" + Wsman.METHOD_ADMIN_SETUP -> adminSetup(input);
                case Wsman.SETUP_AND_CONFIGURATION_SERVICE + "/" + Wsman.METHOD_SET_MEBX_PASSWORD -> setMebxPassword(input);
                case Wsman.SETUP_AND_CONFIGURATION_SERVICE + "/" + Wsman.METHOD_UNPROVISION -> unprovision(input);
                case Wsman.AUTHORIZATION_SERVICE + "/" + Wsman.METHOD_SET_ADMIN_ACL_ENTRY_EX -> setAdminAclEntry(input);
                case Wsman.PUBLIC_KEY_MANAGEMENT_SERVICE + "/" + Wsman.METHOD_ADD_TRUSTED_ROOT_CERTIFICATE -> addTrustedRoot(input);
                case Wsman.REMOTE_ACCESS_SERVICE + "/" + Wsman.METHOD_ADD_MP_SERVER -> addMpServer(input);
                case Wsman.REMOTE_ACCESS_SERVICE + "/" + Wsman.METHOD_ADD_REMOTE_ACCESS_POLICY_RULE -> addPolicyRule(input);
                case Wsman.USER_INITIATED_CONNECTION_SERVICE + "/" + Wsman.METHOD_REQUEST_STATE_CHANGE -> userInitiated(input);
                default -> null;
            });
        }
    }

    // ---- activation (IPS_HostBasedSetupService tables) ----

    private Reply setup(XmlElement in) {
        if (activated()) {
            return refuse(SetupReturn.INVALID_STATE, ProvisioningRefusal.WRONG_PROVISIONING_STATE);
        }
        Optional<Password> hash = activationHash(in);
        if (hash.isEmpty()) {
            return refuse(SetupReturn.INVALID_PARAMETER, ProvisioningRefusal.INVALID_PARAMETER);
        }
        device.activate(ControlMode.CCM, hash.get());
        return Reply.of(SetupReturn.SUCCESS);
    }

    private Reply addNextCertInChain(XmlElement in) {
        if (activated()) {
            return refuse(ChainReturn.INVALID_STATE, ProvisioningRefusal.WRONG_PROVISIONING_STATE);
        }
        Optional<byte[]> der = base64(in, "NextCertificate");
        Optional<Boolean> leaf = bool(in, "IsLeafCertificate");
        Optional<Boolean> root = bool(in, "IsRootCertificate");
        if (der.isEmpty() || der.get().length == 0 || leaf.isEmpty() || root.isEmpty()) {
            device.chain().reset();
            return refuse(ChainReturn.INVALID_PARAMETER, ProvisioningRefusal.INVALID_PARAMETER);
        }
        ProvisioningChain.Check check = device.chain().add(der.get(), leaf.get(), root.get(),
                device.trustedRootHashes(), clock.instant());
        return check.code() == ChainReturn.SUCCESS ? Reply.of(ChainReturn.SUCCESS) : refuse(check.code(), check.refusal());
    }

    private Reply adminSetup(XmlElement in) {
        if (activated()) {
            return refuse(SetupReturn.INVALID_STATE, ProvisioningRefusal.WRONG_PROVISIONING_STATE);
        }
        Optional<Password> hash = activationHash(in);
        Optional<byte[]> mcNonce = base64(in, "McNonce");
        Optional<byte[]> signature = base64(in, "DigitalSignature");
        if (hash.isEmpty() || mcNonce.isEmpty() || mcNonce.get().length != SimulatedDevice.NONCE_BYTES
                || !in.childText("SigningAlgorithm").orElse("").equals("2") || signature.isEmpty()
                || signature.get().length == 0) {
            return refuse(SetupReturn.INVALID_PARAMETER, ProvisioningRefusal.INVALID_PARAMETER);
        }
        ProvisioningChain chain = device.chain();
        byte[] nonce = device.configurationNonce();
        device.renewConfigurationNonce();
        if (!chain.complete()) {
            chain.reset();
            return refuse(SetupReturn.INVALID_STATE, ProvisioningRefusal.CHAIN_INCOMPLETE);
        }
        if (!chain.leafMatches(device.dnsSuffix())) {
            chain.reset();
            return refuse(SetupReturn.AUTH_FAILED, ProvisioningRefusal.DNS_SUFFIX_MISMATCH);
        }
        if (!verifies(chain.leaf(), nonce, mcNonce.get(), signature.get())) {
            chain.reset();
            return refuse(SetupReturn.AUTH_FAILED, ProvisioningRefusal.BAD_SIGNATURE);
        }
        device.activate(ControlMode.ACM, hash.get());
        return Reply.of(SetupReturn.SUCCESS);
    }

    private static boolean verifies(X509Certificate leaf, byte[] configurationNonce, byte[] mcNonce, byte[] signature) {
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(leaf.getPublicKey());
            s.update(configurationNonce);
            s.update(mcNonce);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** NetAdminPassEncryptionType 2 and a 32-hex-digit NetworkAdminPassword, kept as lowercase hex. */
    private static Optional<Password> activationHash(XmlElement in) {
        String type = in.childText("NetAdminPassEncryptionType").orElse("");
        String hash = in.childText("NetworkAdminPassword").orElse("");
        if (!type.equals("2") || !hash.matches("[0-9A-Fa-f]{32}")) {
            return Optional.empty();
        }
        return Optional.of(Password.of(hash.toLowerCase(Locale.ROOT)));
    }

    // ---- AMT_* methods (PT_STATUS) ----

    private Reply setMebxPassword(XmlElement in) {
        if (!activated()) {
            return refuse(PtStatus.INVALID_PROVISIONING_STATE, ProvisioningRefusal.WRONG_PROVISIONING_STATE);
        }
        if (device.controlMode() != ControlMode.ACM) {
            return refuse(PtStatus.NOT_PERMITTED, ProvisioningRefusal.NOT_PERMITTED_IN_THIS_MODE);
        }
        String password = in.childText("Password").orElse("");
        if (!strong(password)) {
            return refuse(PtStatus.INVALID_PARAMETER, ProvisioningRefusal.INVALID_PARAMETER);
        }
        device.setMebxPassword(Password.of(password));
        return Reply.of(PtStatus.SUCCESS);
    }

    private Reply unprovision(XmlElement in) {
        if (!activated()) {
            return refuse(PtStatus.INVALID_PROVISIONING_STATE, ProvisioningRefusal.WRONG_PROVISIONING_STATE);
        }
        if (!in.childText("ProvisioningMode").orElse("1").equals("1")) {
            return refuse(PtStatus.INVALID_PARAMETER, ProvisioningRefusal.INVALID_PARAMETER);
        }
        device.unprovision();
        return Reply.of(PtStatus.SUCCESS);
    }

    private Reply setAdminAclEntry(XmlElement in) {
        if (!activated()) {
            return refuse(PtStatus.INVALID_PROVISIONING_STATE, ProvisioningRefusal.WRONG_PROVISIONING_STATE);
        }
        Optional<byte[]> ha1 = base64(in, "DigestPassword");
        if (!in.childText("Username").orElse("").equals(AmtWebService.USER) || ha1.isEmpty() || ha1.get().length != 16) {
            return refuse(PtStatus.INVALID_PARAMETER, ProvisioningRefusal.INVALID_PARAMETER);
        }
        device.changeAdminHa1(Password.of(HexFormat.of().formatHex(ha1.get())));
        return Reply.of(PtStatus.SUCCESS);
    }

    private Reply addTrustedRoot(XmlElement in) {
        if (!activated()) {
            return refuse(PtStatus.INVALID_PROVISIONING_STATE, ProvisioningRefusal.WRONG_PROVISIONING_STATE);
        }
        Optional<X509Certificate> cert = base64(in, "CertificateBlob").flatMap(ProvisioningMethods::certificate);
        if (cert.isEmpty()) {
            return refuse(PtStatus.INVALID_PARAMETER, ProvisioningRefusal.INVALID_PARAMETER);
        }
        List<X509Certificate> roots = device.cira().trustedRoots;
        if (!roots.contains(cert.get())) {
            roots.add(cert.get());
        }
        String handle = "Intel(r) AMT Certificate: Handle: " + roots.indexOf(cert.get());
        return new Reply(PtStatus.SUCCESS, "<g:CreatedCertificate>" + AmtXml.reference(Wsman.PUBLIC_KEY_CERTIFICATE,
                Map.of("InstanceID", handle)) + "</g:CreatedCertificate>");
    }

    private Reply addMpServer(XmlElement in) {
        if (!activated()) {
            return refuse(PtStatus.INVALID_PROVISIONING_STATE, ProvisioningRefusal.WRONG_PROVISIONING_STATE);
        }
        String address = in.childText("AccessInfo").orElse("");
        int format = number(in, "InfoFormat");
        int port = number(in, "Port");
        int auth = number(in, "AuthMethod");
        String username = in.childText("Username").orElse("");
        String password = in.childText("Password").orElse("");
        if (auth == 1) {
            return refuse(PtStatus.UNSUPPORTED, ProvisioningRefusal.INVALID_PARAMETER);
        }
        if (address.isEmpty() || address.length() > 255 || (format != 3 && format != 4 && format != 201)
                || port < 1 || port > 65535 || auth != 2 || username.isEmpty() || password.isEmpty()) {
            return refuse(PtStatus.INVALID_PARAMETER, ProvisioningRefusal.INVALID_PARAMETER);
        }
        CiraProvisioning cira = device.cira();
        String name = cira.nextServerName();
        cira.servers.add(new CiraProvisioning.MpServer(name, address, format, port, username, Password.of(password),
                in.childText("CN").filter(s -> !s.isEmpty()).orElse(address)));
        return new Reply(PtStatus.SUCCESS, "<g:MpServer>" + AmtXml.reference(Wsman.MANAGEMENT_PRESENCE_REMOTE_SAP,
                sapSelectors(name)) + "</g:MpServer>");
    }

    private Reply addPolicyRule(XmlElement in) {
        if (!activated()) {
            return refuse(PtStatus.INVALID_PROVISIONING_STATE, ProvisioningRefusal.WRONG_PROVISIONING_STATE);
        }
        int trigger = number(in, "Trigger");
        int lifetime = number(in, "TunnelLifeTime");
        Optional<byte[]> data = base64(in, "ExtendedData");
        if (trigger < 0 || trigger > 3 || lifetime < 0 || data.isEmpty() || (trigger == 2 && data.get().length != 8)) {
            return refuse(PtStatus.INVALID_PARAMETER, ProvisioningRefusal.INVALID_PARAMETER);
        }
        String sap = in.child("MpServer").map(ProvisioningMethods::nameSelector).orElse("");
        if (device.cira().server(sap).isEmpty()) {
            return refuse(PtStatus.NOT_FOUND, ProvisioningRefusal.NOT_FOUND);
        }
        String name = CiraProvisioning.ruleName(trigger);
        device.cira().addRule(new CiraProvisioning.PolicyRule(name, trigger, lifetime,
                Base64.getEncoder().encodeToString(data.get()), sap, 0, 0));
        return new Reply(PtStatus.SUCCESS, "<g:PolicyEntry>" + AmtXml.reference(Wsman.REMOTE_ACCESS_POLICY_RULE,
                ruleSelectors(name)) + "</g:PolicyEntry>");
    }

    private Reply userInitiated(XmlElement in) {
        if (!activated()) {
            return refuse(PtStatus.INVALID_PROVISIONING_STATE, ProvisioningRefusal.WRONG_PROVISIONING_STATE);
        }
        int state = number(in, "RequestedState");
        if (state < CiraProvisioning.USER_INITIATED_ALL_DISABLED || state > CiraProvisioning.USER_INITIATED_BIOS_AND_OS) {
            return refuse(PtStatus.INVALID_PARAMETER, ProvisioningRefusal.INVALID_PARAMETER);
        }
        device.cira().userInitiatedState = state;
        return Reply.of(PtStatus.SUCCESS);
    }

    // ---- instances read and Put during CIRA configuration ----

    /**
     * Get: {@code AMT_EnvironmentDetectionSettingData} once activated; {@code IPS_OptInService} and the wired
     * {@code AMT_EthernetPortSettings} always.
     */
    Optional<Map<String, Object>> instance(String uri) {
        synchronized (device) {
            if (uri.equals(Wsman.OPT_IN_SERVICE)) {
                return Optional.of(optIn());
            }
            if (uri.equals(Wsman.ETHERNET_PORT_SETTINGS)) {
                return Optional.of(ethernetPort());
            }
            if (!uri.equals(Wsman.ENVIRONMENT_DETECTION_SETTING_DATA) || !activated()) {
                return Optional.empty();
            }
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("DetectionAlgorithm", device.cira().detectionAlgorithm);
            if (!device.cira().detectionStrings.isEmpty()) {
                p.put("DetectionStrings", device.cira().detectionStrings);
            }
            p.put("ElementName", ENVIRONMENT_DETECTION_ID);
            p.put("InstanceID", ENVIRONMENT_DETECTION_ID);
            return Optional.of(p);
        }
    }

    /** Enumerate/Pull items (prefix {@code h}) of the classes CIRA configuration enumerates; empty if not one. */
    Optional<List<String>> items(String uri) {
        synchronized (device) {
            CiraProvisioning cira = device.cira();
            return switch (uri) {
                case Wsman.MANAGEMENT_PRESENCE_REMOTE_SAP -> Optional.of(cira.servers.stream().map(s -> {
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put("AccessInfo", s.address());
                    p.put("CN", s.commonName());
                    p.put("CreationClassName", SAP_CLASS);
                    p.put("ElementName", "Intel(r) AMT:Management Presence Server");
                    p.put("InfoFormat", s.infoFormat());
                    p.put("Name", s.name());
                    p.put("Port", s.port());
                    p.put("SystemCreationClassName", "CIM_ComputerSystem");
                    p.put("SystemName", "Intel(r) AMT");
                    return AmtXml.instance("h", SAP_CLASS, p);
                }).toList());
                case Wsman.REMOTE_ACCESS_POLICY_APPLIES_TO_MPS -> Optional.of(cira.rules.stream()
                        .map(r -> AmtXml.instance("h", "AMT_RemoteAccessPolicyAppliesToMPS", appliesTo(r))).toList());
                default -> Optional.empty();
            };
        }
    }

    private static Map<String, Object> appliesTo(CiraProvisioning.PolicyRule r) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("ManagedElement", AmtXml.reference(Wsman.MANAGEMENT_PRESENCE_REMOTE_SAP, sapSelectors(r.sapName())));
        p.put("MpsType", r.mpsType());
        p.put("OrderOfAccess", r.orderOfAccess());
        p.put("PolicySet", AmtXml.reference(Wsman.REMOTE_ACCESS_POLICY_RULE, ruleSelectors(r.name())));
        return p;
    }

    private Map<String, Object> optIn() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("CanModifyOptInPolicy", device.controlMode() == ControlMode.ACM ? 1 : 0);
        p.put("CreationClassName", "IPS_OptInService");
        p.put("ElementName", "Intel(r) AMT OptIn Service");
        p.put("Name", "Intel(r) AMT OptIn Service");
        p.put("OptInCodeTimeout", 120);
        p.put("OptInDisplayTimeout", 300);
        p.put("OptInRequired", device.optInRequired());
        p.put("OptInState", 0);
        p.put("SystemCreationClassName", "CIM_ComputerSystem");
        p.put("SystemName", "Intel(r) AMT");
        return p;
    }

    private Map<String, Object> ethernetPort() {
        WiredNetwork n = device.wiredNetwork();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("DHCPEnabled", n.dhcp());
        n.gateway().ifPresent(g -> p.put("DefaultGateway", g));
        p.put("ElementName", "Intel(r) AMT Ethernet Port Settings");
        n.address().ifPresent(a -> p.put("IPAddress", a));
        p.put("InstanceID", WiredNetwork.WIRED_INSTANCE);
        p.put("IpSyncEnabled", n.dhcp());
        p.put("LinkIsUp", true);
        p.put("MACAddress", "a4-ae-12-00-00-01");
        if (!n.dnsServers().isEmpty()) {
            p.put("PrimaryDNS", n.dnsServers().getFirst());
        }
        if (n.dnsServers().size() > 1) {
            p.put("SecondaryDNS", n.dnsServers().get(1));
        }
        p.put("SharedMAC", true);
        p.put("SharedStaticIp", !n.dhcp());
        n.subnetMask().ifPresent(m -> p.put("SubnetMask", m));
        return p;
    }

    /**
     * Put of {@code IPS_OptInService} (activated; in CCM only OptInRequired "all", as firmware) and of the wired
     * {@code AMT_EthernetPortSettings} (activated; DHCP, or a static address with a subnet mask).
     */
    private Optional<PutResult> putSetting(String uri, XmlElement body) {
        String cls = Wsman.className(uri);
        if (!activated()) {
            device.refused(ProvisioningRefusal.WRONG_PROVISIONING_STATE);
            return Optional.of(new PutResult(null, "c:AccessDenied", "The device is not provisioned."));
        }
        Optional<XmlElement> instance = body.child(cls);
        if (instance.isEmpty()) {
            return Optional.of(invalid(cls));
        }
        XmlElement i = instance.get();
        if (uri.equals(Wsman.OPT_IN_SERVICE)) {
            long value;
            try {
                value = Long.parseLong(i.childText("OptInRequired").orElse(""));
            } catch (NumberFormatException e) {
                return Optional.of(invalid(cls));
            }
            if (value != ActivationSteps.OPT_IN_NONE && value != ActivationSteps.OPT_IN_KVM && value != ActivationSteps.OPT_IN_ALL) {
                return Optional.of(invalid(cls));
            }
            if (device.controlMode() != ControlMode.ACM && value != ActivationSteps.OPT_IN_ALL) {
                return Optional.of(new PutResult(null, "c:AccessDenied", "Client control mode requires user consent."));
            }
            device.setOptInRequired(value);
            return Optional.of(new PutResult(optIn(), null, null));
        }
        boolean dhcp = i.childText("DHCPEnabled").map("true"::equals).orElse(false);
        Optional<String> address = i.childText("IPAddress");
        Optional<String> mask = i.childText("SubnetMask");
        List<String> dns = java.util.stream.Stream.of(i.childText("PrimaryDNS"), i.childText("SecondaryDNS"))
                .flatMap(Optional::stream).toList();
        Optional<String> gateway = i.childText("DefaultGateway");
        // firmware checks a static address: dotted IPv4 everywhere, a contiguous subnet mask
        if (!dhcp && (!address.map(ProvisioningMethods::ipv4).orElse(false) || !mask.map(ProvisioningMethods::subnetMask).orElse(false)
                || !gateway.map(ProvisioningMethods::ipv4).orElse(true) || !dns.stream().allMatch(ProvisioningMethods::ipv4))) {
            return Optional.of(invalid(cls));
        }
        device.setWiredNetwork(new WiredNetwork(dhcp, dhcp ? Optional.empty() : address, dhcp ? Optional.empty() : mask,
                dhcp ? Optional.empty() : gateway, dhcp ? List.of() : dns));
        return Optional.of(new PutResult(ethernetPort(), null, null));
    }

    private static boolean ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean subnetMask(String text) {
        if (!ipv4(text)) {
            return false;
        }
        long mask = 0;
        for (String p : text.split("\\.")) {
            mask = mask << 8 | Integer.parseInt(p);
        }
        long inverted = ~mask & 0xFFFFFFFFL;
        return mask != 0 && (inverted & (inverted + 1)) == 0;
    }

    /** Put of the CIRA classes and of the consent and network settings; empty when {@code uri} is none of them. */
    Optional<PutResult> put(String uri, XmlElement body) {
        synchronized (device) {
            if (uri.equals(Wsman.OPT_IN_SERVICE) || uri.equals(Wsman.ETHERNET_PORT_SETTINGS)) {
                return putSetting(uri, body);
            }
            if (!uri.equals(Wsman.REMOTE_ACCESS_POLICY_APPLIES_TO_MPS) && !uri.equals(Wsman.ENVIRONMENT_DETECTION_SETTING_DATA)) {
                return Optional.empty();
            }
            if (!activated()) {
                device.refused(ProvisioningRefusal.WRONG_PROVISIONING_STATE);
                return Optional.of(new PutResult(null, "c:AccessDenied", "The device is not provisioned."));
            }
            String cls = Wsman.className(uri);
            Optional<XmlElement> instance = body.child(cls);
            if (instance.isEmpty()) {
                return Optional.of(invalid(cls));
            }
            XmlElement i = instance.get();
            CiraProvisioning cira = device.cira();
            if (uri.equals(Wsman.ENVIRONMENT_DETECTION_SETTING_DATA)) {
                int algorithm = number(i, "DetectionAlgorithm");
                if (algorithm != 0 && algorithm != 1) {
                    return Optional.of(invalid(cls));
                }
                cira.detectionAlgorithm = algorithm;
                cira.detectionStrings = i.children("DetectionStrings").stream().map(XmlElement::text).toList();
                return Optional.of(new PutResult(instance(uri).orElseThrow(), null, null));
            }
            String ruleName = i.child("PolicySet").flatMap(e -> e.find("SelectorSet")).stream()
                    .flatMap(s -> s.children("Selector").stream())
                    .filter(s -> "PolicyRuleName".equals(s.attributes().get("Name"))).map(XmlElement::text)
                    .findFirst().orElse("");
            int mpsType = number(i, "MpsType");
            int order = number(i, "OrderOfAccess");
            Optional<CiraProvisioning.PolicyRule> rule = cira.rules.stream().filter(r -> r.name().equals(ruleName)).findFirst();
            if (rule.isEmpty() || mpsType < 0 || mpsType > 2 || order < 0) {
                device.refused(rule.isEmpty() ? ProvisioningRefusal.NOT_FOUND : ProvisioningRefusal.INVALID_PARAMETER);
                return Optional.of(invalid(cls));
            }
            CiraProvisioning.PolicyRule updated = rule.get().applied(mpsType, order);
            cira.rules.set(cira.rules.indexOf(rule.get()), updated);
            return Optional.of(new PutResult(appliesTo(updated), null, null));
        }
    }

    private static PutResult invalid(String cls) {
        return new PutResult(null, "c:InvalidRepresentation", "The " + cls + " instance is not valid here.");
    }

    // ---- helpers ----

    private boolean activated() {
        return device.controlMode() != ControlMode.NONE;
    }

    private Reply refuse(int code, ProvisioningRefusal why) {
        device.refused(why);
        return Reply.of(code);
    }

    /** AMT's strong-password rule: 8-32 ASCII characters with a digit, a lower- and an upper-case letter and a symbol. */
    static boolean strong(String p) {
        return p.length() >= 8 && p.length() <= 32 && p.chars().allMatch(c -> c > 0x20 && c < 0x7F)
                && p.chars().noneMatch(c -> c == '"' || c == ',' || c == ':')
                && p.chars().anyMatch(Character::isDigit) && p.chars().anyMatch(Character::isLowerCase)
                && p.chars().anyMatch(Character::isUpperCase) && p.chars().anyMatch(c -> !Character.isLetterOrDigit(c));
    }

    private static Map<String, String> sapSelectors(String name) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("CreationClassName", SAP_CLASS);
        s.put("Name", name);
        s.put("SystemCreationClassName", "CIM_ComputerSystem");
        s.put("SystemName", "Intel(r) AMT");
        return s;
    }

    private static Map<String, String> ruleSelectors(String name) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("CreationClassName", RULE_CLASS);
        s.put("PolicyRuleName", name);
        s.put("SystemCreationClassName", "CIM_ComputerSystem");
        s.put("SystemName", "Intel(r) AMT");
        return s;
    }

    private static String nameSelector(XmlElement reference) {
        return reference.find("SelectorSet").stream().flatMap(s -> s.children("Selector").stream())
                .filter(s -> "Name".equals(s.attributes().get("Name"))).map(XmlElement::text).findFirst().orElse("");
    }

    private static Optional<byte[]> base64(XmlElement in, String name) {
        Optional<String> text = in.childText(name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Base64.getDecoder().decode(text.get()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<Boolean> bool(XmlElement in, String name) {
        return in.childText(name).filter(t -> t.equals("true") || t.equals("false")).map(Boolean::parseBoolean);
    }

    /** A small non-negative integer parameter, or -1 when absent or malformed. */
    private static int number(XmlElement in, String name) {
        String t = in.childText(name).orElse("");
        return t.matches("\\d{1,9}") ? Integer.parseInt(t) : -1;
    }

    private static Optional<X509Certificate> certificate(byte[] der) {
        try {
            return Optional.of((X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der)));
        } catch (GeneralSecurityException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
