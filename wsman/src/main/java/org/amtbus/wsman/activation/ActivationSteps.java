package org.amtbus.wsman.activation;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.amtbus.wsman.client.FailureKind;
import org.amtbus.wsman.client.WsmanClient;
import org.amtbus.wsman.client.WsmanResult;
import org.amtbus.wsman.digest.DigestHash;
import org.amtbus.wsman.digest.Password;
import org.amtbus.wsman.message.MethodInput;
import org.amtbus.wsman.message.Selector;
import org.amtbus.wsman.message.Wsman;
import org.amtbus.wsman.message.WsmanEnvelope;
import org.amtbus.wsman.message.WsmanRequest;
import org.amtbus.wsman.message.WsmanRequests;
import org.amtbus.wsman.message.XmlElement;

/**
 * The WS-Man exchanges a provisioning worker runs against one device, as Open AMT's RPS does them
 * (amt-protocols.md section 5): reads, CCM {@code Setup}, ACM {@code AddNextCertInChain} + {@code AdminSetup},
 * {@code SetMEBxPassword}, {@code SetAdminAclEntryEx}, the CIRA configuration in RPS order and
 * {@code Unprovision}. Each method is one {@link ActivationStep} and returns a {@link StepOutcome}: the
 * value, or the failure with its kind, the AMT ReturnValue (when non-zero) and a reason free of secrets.
 * The {@code activate*} and {@link #configureCira} methods run a whole sequence and stop at the first
 * failed step.
 *
 * <p>Requests are built with {@link MethodInput}/{@link WsmanRequests} (every value escaped) and answers
 * parsed by {@link WsmanEnvelope} (SafeXml). The admin user is always {@code admin}. Passwords go on the
 * wire only as AMT expects them: the activation hash (lowercase hex MD5 of {@code admin:realm:password}),
 * base64 of the raw hash for {@code SetAdminAclEntryEx}, plaintext for the MEBx and MPS passwords.
 *
 * <p>Authentication: give the client a {@code DigestClient} for {@code admin} with the password being set.
 * Before activation a local (host-side) device serves unauthenticated requests, so no challenge is drawn;
 * after activation its first 401 makes the client authenticate with the new password, so one client runs
 * the whole sequence. Blocking, one exchange at a time, like {@link WsmanClient}.
 */
public final class ActivationSteps {
    public static final String ADMIN_USER = "admin";
    /** Length of McNonce and of firmware's ConfigurationNonce. */
    public static final int NONCE_BYTES = 20;
    /** NetAdminPassEncryptionType 2: HTTP Digest MD5 A1. */
    public static final int ENCRYPTION_DIGEST_MD5_A1 = 2;
    /** SigningAlgorithm 2: RSA PKCS#1 v1.5 with SHA-256. */
    public static final int SIGNING_RSA_SHA256 = 2;
    /** Unprovision's ProvisioningMode as RPS sends it. */
    public static final int UNPROVISION_MODE = 1;
    /** RequestedState 32771: user-initiated connections allowed from BIOS and OS. */
    public static final int USER_INITIATED_BIOS_AND_OS = 32771;
    /** AMT_RemoteAccessPolicyAppliesToMPS.MpsType 2: the MPS is used inside and outside the enterprise. */
    public static final int MPS_TYPE_BOTH = 2;

    private final WsmanClient client;
    private final WsmanRequests requests;
    private final RandomGenerator random;

    /** @param random McNonce source; pass a {@link java.security.SecureRandom} outside tests */
    public ActivationSteps(WsmanClient client, WsmanRequests requests, RandomGenerator random) {
        this.client = Objects.requireNonNull(client, "client");
        this.requests = Objects.requireNonNull(requests, "requests");
        this.random = Objects.requireNonNull(random, "random");
    }

    // ---- reads ----

    /** Get {@code AMT_GeneralSettings}; fails with PROTOCOL if DigestRealm does not have firmware's shape. */
    public StepOutcome<GeneralSettings> readGeneralSettings() {
        ActivationStep step = ActivationStep.READ_GENERAL_SETTINGS;
        return run(step, () -> {
            XmlElement gs = instance(step, call(step, requests.get(Wsman.GENERAL_SETTINGS)));
            String realm = gs.childText("DigestRealm").orElse("");
            if (!GeneralSettings.REALM.matcher(realm).matches()) {
                throw protocol(step, "DigestRealm is not Digest: plus 32 uppercase hex digits");
            }
            return new GeneralSettings(realm, gs.childText("HostName").orElse(""), gs.childText("DomainName").orElse(""));
        });
    }

    /** Get {@code IPS_HostBasedSetupService}: control mode, allowed modes, chain status, ConfigurationNonce. */
    public StepOutcome<HostBasedSetup> readHostBasedSetup() {
        ActivationStep step = ActivationStep.READ_HOST_BASED_SETUP;
        return run(step, () -> {
            XmlElement h = instance(step, call(step, requests.get(Wsman.HOST_BASED_SETUP_SERVICE)));
            int mode = integer(step, h.childText("CurrentControlMode").orElse(""), "CurrentControlMode");
            Set<Integer> allowed = new LinkedHashSet<>();
            for (XmlElement a : h.children("AllowedControlModes")) {
                allowed.add(integer(step, a.text(), "AllowedControlModes"));
            }
            int chain = h.childText("CertChainStatus").isPresent()
                    ? integer(step, h.childText("CertChainStatus").get(), "CertChainStatus") : 0;
            byte[] nonce;
            try {
                nonce = Base64.getDecoder().decode(h.childText("ConfigurationNonce").orElse(""));
            } catch (IllegalArgumentException e) {
                throw protocol(step, "ConfigurationNonce is not base64");
            }
            return new HostBasedSetup(mode, allowed, chain, nonce);
        });
    }

    /** Get {@code AMT_SetupAndConfigurationService}: ProvisioningState and ProvisioningMode. */
    public StepOutcome<ProvisioningStatus> readProvisioningStatus() {
        ActivationStep step = ActivationStep.READ_PROVISIONING_STATUS;
        return run(step, () -> {
            XmlElement s = instance(step, call(step, requests.get(Wsman.SETUP_AND_CONFIGURATION_SERVICE)));
            int state = integer(step, s.childText("ProvisioningState").orElse(""), "ProvisioningState");
            int mode = s.childText("ProvisioningMode").isPresent()
                    ? integer(step, s.childText("ProvisioningMode").get(), "ProvisioningMode") : -1;
            return new ProvisioningStatus(state, mode);
        });
    }

    // ---- activation ----

    /** {@code IPS_HostBasedSetupService.Setup}(2, hash): client control mode with {@code adminPassword}. */
    public StepOutcome<Void> setupClientControl(String realm, Password adminPassword) {
        ActivationStep step = ActivationStep.SETUP_CLIENT_CONTROL;
        return run(step, () -> {
            String input = MethodInput.create().value("NetAdminPassEncryptionType", ENCRYPTION_DIGEST_MD5_A1)
                    .value("NetworkAdminPassword", DigestHash.ha1Hex(ADMIN_USER, realm, adminPassword)).toXml();
            method(step, requests.invoke(step.resourceUri(), step.operation(), input), "");
            return null;
        });
    }

    /** One {@code AddNextCertInChain}: base64 DER with the leaf and root flags. */
    public StepOutcome<Void> addNextCertInChain(X509Certificate certificate, boolean leaf, boolean root) {
        ActivationStep step = ActivationStep.ADD_NEXT_CERT_IN_CHAIN;
        return run(step, () -> {
            addCertificate(step, certificate, leaf, root, "");
            return null;
        });
    }

    /**
     * The provisioning certificate chain, leaf first and root last (the order the .pfx parser must
     * produce), one {@code AddNextCertInChain} each; stops at the first refusal.
     */
    public StepOutcome<Void> addCertificateChain(List<X509Certificate> leafToRoot) {
        if (leafToRoot.isEmpty()) {
            throw new IllegalArgumentException("the chain needs at least the leaf and the root");
        }
        ActivationStep step = ActivationStep.ADD_NEXT_CERT_IN_CHAIN;
        return run(step, () -> {
            for (int i = 0; i < leafToRoot.size(); i++) {
                addCertificate(step, leafToRoot.get(i), i == 0, i == leafToRoot.size() - 1,
                        " for certificate " + (i + 1) + " of " + leafToRoot.size());
            }
            return null;
        });
    }

    /**
     * {@code AdminSetup}: the activation hash, a fresh 20-byte McNonce, SigningAlgorithm 2 and the RSA
     * PKCS#1 v1.5 SHA-256 signature over the raw ConfigurationNonce followed by the raw McNonce, made with the
     * provisioning certificate's private key. Run {@link #addCertificateChain} first.
     *
     * @throws IllegalArgumentException if {@code provisioningKey} cannot make an RSA signature
     */
    public StepOutcome<Void> adminSetup(String realm, Password adminPassword, byte[] configurationNonce,
                                        PrivateKey provisioningKey) {
        ActivationStep step = ActivationStep.ADMIN_SETUP;
        byte[] mcNonce = new byte[NONCE_BYTES];
        random.nextBytes(mcNonce);
        byte[] signature = sign(provisioningKey, configurationNonce, mcNonce);
        return run(step, () -> {
            Base64.Encoder b64 = Base64.getEncoder();
            String input = MethodInput.create().value("NetAdminPassEncryptionType", ENCRYPTION_DIGEST_MD5_A1)
                    .value("NetworkAdminPassword", DigestHash.ha1Hex(ADMIN_USER, realm, adminPassword))
                    .value("McNonce", b64.encodeToString(mcNonce))
                    .value("SigningAlgorithm", SIGNING_RSA_SHA256)
                    .value("DigitalSignature", b64.encodeToString(signature)).toXml();
            method(step, requests.invoke(step.resourceUri(), step.operation(), input), "");
            return null;
        });
    }

    /** {@code AMT_SetupAndConfigurationService.SetMEBxPassword}; the password goes as plaintext, as AMT wants. */
    public StepOutcome<Void> setMebxPassword(Password mebxPassword) {
        ActivationStep step = ActivationStep.SET_MEBX_PASSWORD;
        return run(step, () -> {
            method(step, requests.invoke(step.resourceUri(), step.operation(),
                    MethodInput.create().value("Password", plain(mebxPassword)).toXml()), "");
            return null;
        });
    }

    /**
     * {@code AMT_AuthorizationService.SetAdminAclEntryEx}(admin, base64 of the raw MD5 of
     * {@code admin:realm:newPassword}): changes the admin password of an activated device. Later requests
     * need a client with the new password.
     */
    public StepOutcome<Void> setAdminPassword(String realm, Password newPassword) {
        ActivationStep step = ActivationStep.SET_ADMIN_ACL_ENTRY;
        return run(step, () -> {
            byte[] ha1 = DigestHash.ha1(ADMIN_USER, realm, newPassword);
            try {
                method(step, requests.invoke(step.resourceUri(), step.operation(), MethodInput.create()
                        .value("Username", ADMIN_USER).value("DigestPassword", Base64.getEncoder().encodeToString(ha1))
                        .toXml()), "");
            } finally {
                Arrays.fill(ha1, (byte) 0);
            }
            return null;
        });
    }

    /** {@code Unprovision}(ProvisioningMode 1): back to pre-provisioning; the device forgets its settings. */
    public StepOutcome<Void> unprovision() {
        ActivationStep step = ActivationStep.UNPROVISION;
        return run(step, () -> {
            method(step, requests.invoke(step.resourceUri(), step.operation(),
                    MethodInput.create().value("ProvisioningMode", UNPROVISION_MODE).toXml()), "");
            return null;
        });
    }

    // ---- CIRA configuration ----

    /** {@code AddTrustedRootCertificate}(base64 DER); the value is the created certificate's InstanceID, or "". */
    public StepOutcome<String> addTrustedRootCertificate(X509Certificate root) {
        ActivationStep step = ActivationStep.ADD_TRUSTED_ROOT_CERTIFICATE;
        return run(step, () -> {
            XmlElement out = method(step, requests.invoke(step.resourceUri(), step.operation(),
                    MethodInput.create().value("CertificateBlob", der(root)).toXml()), "");
            return selector(out, "CreatedCertificate", "InstanceID");
        });
    }

    /** {@code AddMpServer}; the value is the Name of the created {@code AMT_ManagementPresenceRemoteSAP}, or "". */
    public StepOutcome<String> addMpServer(MpsServer server) {
        ActivationStep step = ActivationStep.ADD_MP_SERVER;
        return run(step, () -> {
            XmlElement out = method(step, requests.invoke(step.resourceUri(), step.operation(), MethodInput.create()
                    .value("AccessInfo", server.address()).value("InfoFormat", server.infoFormat())
                    .value("Port", server.port()).value("AuthMethod", MpsServer.AUTH_USERNAME_PASSWORD)
                    .value("Username", server.username()).value("Password", plain(server.password()))
                    .value("CN", server.commonName()).toXml()), "");
            return selector(out, "MpServer", "Name");
        });
    }

    /** Enumerate + Pull {@code AMT_ManagementPresenceRemoteSAP}: the Names of the configured MPSs. */
    public StepOutcome<List<String>> findManagementPresenceSaps() {
        ActivationStep step = ActivationStep.FIND_MANAGEMENT_PRESENCE_SAP;
        return run(step, () -> enumerate(step, Wsman.MANAGEMENT_PRESENCE_REMOTE_SAP).stream()
                .map(i -> i.childText("Name").orElse("")).filter(n -> !n.isEmpty()).toList());
    }

    /**
     * {@code AddRemoteAccessPolicyRule} pointing at the SAP {@code sapName}; the value is the rule's
     * PolicyRuleName, or "".
     */
    public StepOutcome<String> addRemoteAccessPolicyRule(RemoteAccessPolicy policy, String sapName) {
        ActivationStep step = ActivationStep.ADD_REMOTE_ACCESS_POLICY_RULE;
        return run(step, () -> {
            XmlElement out = method(step, requests.invoke(step.resourceUri(), step.operation(), MethodInput.create()
                    .value("Trigger", policy.trigger()).value("TunnelLifeTime", policy.tunnelLifetime())
                    .value("ExtendedData", policy.extendedData())
                    .reference("MpServer", Wsman.MANAGEMENT_PRESENCE_REMOTE_SAP,
                            new Selector("CreationClassName", "AMT_ManagementPresenceRemoteSAP"),
                            new Selector("Name", sapName),
                            new Selector("SystemCreationClassName", "CIM_ComputerSystem"),
                            new Selector("SystemName", "Intel(r) AMT")).toXml()),
                    " for trigger " + policy.trigger());
            return selector(out, "PolicyEntry", "PolicyRuleName");
        });
    }

    /**
     * Enumerate + Pull {@code AMT_RemoteAccessPolicyAppliesToMPS} and Put each back with MpsType 2 (both)
     * and OrderOfAccess 0; the value is how many were Put. Fails if there is none (no rule added yet).
     */
    public StepOutcome<Integer> putPolicyAppliesToMps() {
        ActivationStep step = ActivationStep.PUT_POLICY_APPLIES_TO_MPS;
        return run(step, () -> {
            List<XmlElement> items = enumerate(step, Wsman.REMOTE_ACCESS_POLICY_APPLIES_TO_MPS);
            if (items.isEmpty()) {
                throw protocol(step, "no AMT_RemoteAccessPolicyAppliesToMPS instance (add a policy rule first)");
            }
            for (XmlElement item : items) {
                XmlElement updated = withValues(withValues(item, "MpsType", List.of(Integer.toString(MPS_TYPE_BOTH))),
                        "OrderOfAccess", List.of("0"));
                call(step, requests.put(Wsman.REMOTE_ACCESS_POLICY_APPLIES_TO_MPS, updated));
            }
            return items.size();
        });
    }

    /** {@code AMT_UserInitiatedConnectionService.RequestStateChange}(32771): BIOS and OS may start CIRA. */
    public StepOutcome<Void> enableUserInitiatedConnection() {
        ActivationStep step = ActivationStep.ENABLE_USER_INITIATED_CONNECTION;
        return run(step, () -> {
            method(step, requests.invoke(step.resourceUri(), step.operation(),
                    MethodInput.create().value("RequestedState", USER_INITIATED_BIOS_AND_OS).toXml()), "");
            return null;
        });
    }

    /**
     * Get, then Put {@code AMT_EnvironmentDetectionSettingData} with DetectionAlgorithm 0 (local domains) and
     * these DetectionStrings; the other properties go back as read.
     */
    public StepOutcome<Void> configureEnvironmentDetection(List<String> detectionStrings) {
        ActivationStep step = ActivationStep.PUT_ENVIRONMENT_DETECTION;
        return run(step, () -> {
            XmlElement current = instance(step, call(step, requests.get(Wsman.ENVIRONMENT_DETECTION_SETTING_DATA)));
            XmlElement updated = withValues(withValues(current, "DetectionAlgorithm", List.of("0")),
                    "DetectionStrings", detectionStrings);
            call(step, requests.put(Wsman.ENVIRONMENT_DETECTION_SETTING_DATA, updated));
            return null;
        });
    }

    // ---- profile settings ----

    /** {@code OptInRequired} of {@code IPS_OptInService}: no consent needed. */
    public static final long OPT_IN_NONE = 0;
    /** Consent for KVM only. */
    public static final long OPT_IN_KVM = 1;
    /** Consent for every redirection (KVM, IDE-R, SOL); what CCM always has. */
    public static final long OPT_IN_ALL = 4294967295L;

    /**
     * Get, then Put {@code IPS_OptInService} with {@code OptInRequired} (one of the {@code OPT_IN_*} values); the
     * other properties go back as read. Firmware refuses anything but {@link #OPT_IN_ALL} in client control mode.
     */
    public StepOutcome<Void> configureUserConsent(long optInRequired) {
        ActivationStep step = ActivationStep.PUT_USER_CONSENT;
        return run(step, () -> {
            XmlElement current = instance(step, call(step, requests.get(Wsman.OPT_IN_SERVICE)));
            call(step, requests.put(Wsman.OPT_IN_SERVICE, withValues(current, "OptInRequired",
                    List.of(Long.toString(optInRequired)))));
            return null;
        });
    }

    /**
     * Get, then Put the wired {@code AMT_EthernetPortSettings} (selector InstanceID) with DHCP or a static address:
     * DHCPEnabled, IpSyncEnabled and SharedStaticIp follow the mode; IPAddress, SubnetMask, DefaultGateway,
     * PrimaryDNS and SecondaryDNS are set for a static address and removed for DHCP.
     */
    public StepOutcome<Void> configureWiredNetwork(WiredNetwork network) {
        ActivationStep step = ActivationStep.PUT_WIRED_NETWORK;
        Selector wired = new Selector("InstanceID", WiredNetwork.WIRED_INSTANCE);
        return run(step, () -> {
            XmlElement current = instance(step, call(step, requests.get(Wsman.ETHERNET_PORT_SETTINGS, wired)));
            String dhcp = Boolean.toString(network.dhcp());
            XmlElement updated = withValues(current, "DHCPEnabled", List.of(dhcp));
            updated = withValues(updated, "IpSyncEnabled", List.of(dhcp));
            updated = withValues(updated, "SharedStaticIp", List.of(Boolean.toString(!network.dhcp())));
            updated = withValues(updated, "IPAddress", network.address().stream().toList());
            updated = withValues(updated, "SubnetMask", network.subnetMask().stream().toList());
            updated = withValues(updated, "DefaultGateway", network.gateway().stream().toList());
            updated = withValues(updated, "PrimaryDNS", network.dnsServers().stream().limit(1).toList());
            updated = withValues(updated, "SecondaryDNS", network.dnsServers().stream().skip(1).limit(1).toList());
            call(step, requests.put(Wsman.ETHERNET_PORT_SETTINGS, updated, wired));
            return null;
        });
    }

    // ---- sequences ----

    /** CCM as RPS does it: read the realm, check the device is unactivated and allows CCM, Setup. */
    public StepOutcome<Void> activateClientControlMode(Password adminPassword) {
        try {
            GeneralSettings gs = value(readGeneralSettings());
            requireActivatable(value(readHostBasedSetup()), HostBasedSetup.MODE_CLIENT);
            value(setupClientControl(gs.digestRealm(), adminPassword));
            return new StepOutcome.Done<>(ActivationStep.SETUP_CLIENT_CONTROL, null);
        } catch (StepFailed f) {
            return f.failed.cast();
        }
    }

    /**
     * ACM as RPS does it: read the realm and ConfigurationNonce, check the device is unactivated and allows
     * ACM, send the chain (leaf first), AdminSetup. {@link #setMebxPassword} comes after, as in RPS.
     */
    public StepOutcome<Void> activateAdminControlMode(Password adminPassword, PrivateKey provisioningKey,
                                                      List<X509Certificate> leafToRoot) {
        try {
            GeneralSettings gs = value(readGeneralSettings());
            HostBasedSetup hbs = value(readHostBasedSetup());
            requireActivatable(hbs, HostBasedSetup.MODE_ADMIN);
            value(addCertificateChain(leafToRoot));
            value(adminSetup(gs.digestRealm(), adminPassword, hbs.configurationNonce(), provisioningKey));
            return new StepOutcome.Done<>(ActivationStep.ADMIN_SETUP, null);
        } catch (StepFailed f) {
            return f.failed.cast();
        }
    }

    /**
     * The CIRA configuration in RPS order: trusted root, MPS, find its SAP, the policy rules, the rules
     * applied to the MPS, user-initiated connections on, environment detection. The value is the SAP name.
     */
    public StepOutcome<String> configureCira(CiraConfiguration configuration) {
        try {
            value(addTrustedRootCertificate(configuration.mpsRootCertificate()));
            String created = value(addMpServer(configuration.server()));
            List<String> saps = value(findManagementPresenceSaps());
            if (saps.isEmpty()) {
                return failed(ActivationStep.FIND_MANAGEMENT_PRESENCE_SAP, FailureKind.PROTOCOL,
                        "no AMT_ManagementPresenceRemoteSAP after AddMpServer");
            }
            String sap = saps.contains(created) ? created : saps.get(0);
            for (RemoteAccessPolicy p : configuration.policies()) {
                value(addRemoteAccessPolicyRule(p, sap));
            }
            value(putPolicyAppliesToMps());
            value(enableUserInitiatedConnection());
            value(configureEnvironmentDetection(configuration.detectionStrings()));
            return new StepOutcome.Done<>(ActivationStep.PUT_ENVIRONMENT_DETECTION, sap);
        } catch (StepFailed f) {
            return f.failed.cast();
        }
    }

    // ---- plumbing ----

    private void requireActivatable(HostBasedSetup hbs, int mode) throws StepFailed {
        if (hbs.currentControlMode() != HostBasedSetup.MODE_NONE) {
            throw new StepFailed(new StepOutcome.Failed<>(ActivationStep.READ_HOST_BASED_SETUP, FailureKind.DEVICE_REFUSED,
                    OptionalInt.empty(), "device is already activated (CurrentControlMode " + hbs.currentControlMode() + ")"));
        }
        if (!hbs.allows(mode)) {
            throw new StepFailed(new StepOutcome.Failed<>(ActivationStep.READ_HOST_BASED_SETUP, FailureKind.DEVICE_REFUSED,
                    OptionalInt.empty(), "device does not allow " + (mode == HostBasedSetup.MODE_ADMIN ? "admin" : "client")
                    + " control mode (AllowedControlModes " + hbs.allowedControlModes() + ")"));
        }
    }

    private void addCertificate(ActivationStep step, X509Certificate certificate, boolean leaf, boolean root,
                                String context) throws StepFailed {
        method(step, requests.invoke(step.resourceUri(), step.operation(), MethodInput.create()
                .value("NextCertificate", der(certificate)).value("IsLeafCertificate", leaf)
                .value("IsRootCertificate", root).toXml()), context);
    }

    private static byte[] sign(PrivateKey key, byte[] configurationNonce, byte[] mcNonce) {
        Objects.requireNonNull(key, "provisioningKey");
        if (!"RSA".equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("the provisioning key must be RSA");
        }
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(configurationNonce);
            s.update(mcNonce);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with the provisioning key", e);
        }
    }

    private static String der(X509Certificate certificate) {
        try {
            return Base64.getEncoder().encodeToString(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be DER-encoded", e);
        }
    }

    /** The password as text for the XML body; it lives only as long as the request. */
    private static String plain(Password password) {
        byte[] b = password.utf8();
        try {
            return new String(b, StandardCharsets.UTF_8);
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    /** Replaces every {@code name} child by one per value, placed where AMT's alphabetical order puts it. */
    static XmlElement withValues(XmlElement instance, String name, List<String> values) {
        List<XmlElement> children = new ArrayList<>();
        boolean placed = false;
        for (XmlElement c : instance.children()) {
            if (!placed && c.name().compareTo(name) >= 0) {
                values.forEach(v -> children.add(new XmlElement(instance.namespace(), name, java.util.Map.of(), v, List.of())));
                placed = true;
            }
            if (!c.name().equals(name)) {
                children.add(c);
            }
        }
        if (!placed) {
            values.forEach(v -> children.add(new XmlElement(instance.namespace(), name, java.util.Map.of(), v, List.of())));
        }
        return new XmlElement(instance.namespace(), instance.name(), instance.attributes(), "", children);
    }

    private <T> T value(StepOutcome<T> outcome) throws StepFailed {
        return switch (outcome) {
            case StepOutcome.Done<T> d -> d.value();
            case StepOutcome.Failed<T> f -> throw new StepFailed(f);
        };
    }

    private static <T> StepOutcome<T> run(ActivationStep step, Body<T> body) {
        try {
            return new StepOutcome.Done<>(step, body.run());
        } catch (StepFailed f) {
            return f.failed.cast();
        }
    }

    private static <T> StepOutcome<T> failed(ActivationStep step, FailureKind kind, String reason) {
        return new StepOutcome.Failed<>(step, kind, OptionalInt.empty(), reason);
    }

    private WsmanEnvelope call(ActivationStep step, WsmanRequest request) throws StepFailed {
        WsmanResult<WsmanEnvelope> r = client.send(request);
        return switch (r) {
            case WsmanResult.Success<WsmanEnvelope> s -> s.value();
            case WsmanResult.Failure<WsmanEnvelope> f -> throw new StepFailed(new StepOutcome.Failed<>(step, f.kind(),
                    OptionalInt.empty(), step.label() + ": " + f.reason()));
        };
    }

    /** Invokes a method and returns its {@code _OUTPUT}; a non-zero ReturnValue is DEVICE_REFUSED. */
    private XmlElement method(ActivationStep step, WsmanRequest request, String context) throws StepFailed {
        WsmanEnvelope env = call(step, request);
        XmlElement out = env.body().child(step.operation() + "_OUTPUT")
                .orElseThrow(() -> protocol(step, "answer without " + step.operation() + "_OUTPUT"));
        int rv = integer(step, out.childText("ReturnValue").orElse(""), "ReturnValue");
        if (rv != 0) {
            throw new StepFailed(new StepOutcome.Failed<>(step, FailureKind.DEVICE_REFUSED, OptionalInt.of(rv),
                    step.label() + " returned " + step.codes().describe(rv) + context));
        }
        return out;
    }

    private static XmlElement instance(ActivationStep step, WsmanEnvelope env) throws StepFailed {
        String cls = Wsman.className(step.resourceUri());
        return env.body().child(cls).orElseThrow(() -> protocol(step, "answer without an " + cls + " instance"));
    }

    private List<XmlElement> enumerate(ActivationStep step, String resourceUri) throws StepFailed {
        WsmanEnvelope e = call(step, requests.enumerate(resourceUri));
        String context = e.body().path("EnumerateResponse", "EnumerationContext").map(XmlElement::text)
                .filter(s -> !s.isEmpty()).orElseThrow(() -> protocol(step, "EnumerateResponse without EnumerationContext"));
        WsmanEnvelope pulled = call(step, requests.pull(resourceUri, context));
        return pulled.body().path("PullResponse", "Items").map(XmlElement::children).orElse(List.of());
    }

    /** The value of selector {@code selector} in the EPR output parameter {@code parameter}, or "". */
    private static String selector(XmlElement output, String parameter, String selector) {
        return output.child(parameter).flatMap(p -> p.find("SelectorSet")).stream()
                .flatMap(s -> s.children("Selector").stream())
                .filter(s -> selector.equals(s.attributes().get("Name"))).map(XmlElement::text).findFirst().orElse("");
    }

    private static int integer(ActivationStep step, String text, String what) throws StepFailed {
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(Character::isDigit)) {
            throw protocol(step, what + " is not a small non-negative integer");
        }
        return Integer.parseInt(text);
    }

    private static StepFailed protocol(ActivationStep step, String reason) {
        return new StepFailed(new StepOutcome.Failed<>(step, FailureKind.PROTOCOL, OptionalInt.empty(),
                step.label() + ": " + reason));
    }

    @FunctionalInterface
    private interface Body<T> {
        T run() throws StepFailed;
    }

    /** Unwinds a sequence at the first failed step; never escapes this class. */
    private static final class StepFailed extends Exception {
        private static final long serialVersionUID = 1L;
        final transient StepOutcome.Failed<?> failed;

        StepFailed(StepOutcome.Failed<?> failed) {
            super(failed.reason(), null, false, false);
            this.failed = failed;
        }
    }
}
