package org.amtbus.sim.amt;

import java.security.SecureRandom;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.amtbus.wsman.activation.ActivationSteps;
import org.amtbus.wsman.activation.WiredNetwork;
import org.amtbus.wsman.digest.DigestHash;
import org.amtbus.wsman.digest.Password;

/**
 * One simulated AMT machine: identity, secrets, provisioning state, and the state power and boot commands
 * change. The Digest realm is {@code Digest:} plus 32 uppercase hex digits, unique per device, as on real
 * firmware.
 *
 * <p>Provisioning: a device made with the public constructor or {@link #create} is already activated with a
 * known admin password. One made with {@link #preProvisioned} is in pre-provisioning (ControlMode NONE,
 * ProvisioningState 0) with a DNS suffix (its {@link #domainName()}) and a set of trusted root certificate
 * hashes (firmware's {@code certHashes}), and has no admin password until CCM {@code Setup} or ACM
 * {@code AdminSetup} gives it one - as a Digest HA1 hash, which is all the device then keeps. Invariants:
 * ControlMode NONE if and only if there is no admin credential; {@link #unprovision()} restores
 * pre-provisioning and destroys the admin, MEBx and CIRA secrets.
 *
 * <p>{@link #toString()} never prints a password. Thread-safe: state is guarded by this object's monitor.
 */
public final class SimulatedDevice {

    /** AMT's control modes as {@code IPS_HostBasedSetupService.CurrentControlMode} numbers them. */
    public enum ControlMode {
        NONE(0), CCM(1), ACM(2);

        public final int value;

        ControlMode(int value) {
            this.value = value;
        }
    }

    /** What the last boot started into. */
    public enum BootTarget { NONE, NORMAL, BIOS_SETUP }

    /** AMT's factory admin password, the one MEBx asks to change on first login. */
    public static final String FACTORY_ADMIN_PASSWORD = "admin";
    public static final int NONCE_BYTES = 20;

    private final UUID guid;
    private final String initialCiraUsername;
    private final Password initialCiraPassword;
    private final String amtVersion;
    private final String realm;
    private final String hostName;
    private final String domainName;
    private final Set<String> trustedRootHashes;
    private final RandomGenerator random;

    private ControlMode controlMode;
    /** Known only for devices built activated; null after activation over WS-Man or unprovision. */
    private Password adminPassword;
    /** Lowercase hex HA1 of admin:realm:password; null in pre-provisioning. */
    private Password adminHa1;
    private long credentialGeneration;
    private Password mebxPassword;
    private byte[] configurationNonce = new byte[NONCE_BYTES];
    private final ProvisioningChain chain = new ProvisioningChain();
    private final CiraProvisioning cira = new CiraProvisioning();
    /** IPS_OptInService.OptInRequired: firmware's default is consent for everything. */
    private long optInRequired = ActivationSteps.OPT_IN_ALL;
    /** AMT_EthernetPortSettings of the wired port: DHCP out of the box. */
    private WiredNetwork wiredNetwork = WiredNetwork.dhcpNetwork();
    private ProvisioningRefusal lastRefusal;

    private int powerState;
    private boolean biosSetupRequested;
    private boolean nextBootRoleSet;
    private BootTarget lastBoot = BootTarget.NONE;
    private int boots;

    /** An activated device with a known admin password and CIRA credentials. */
    public SimulatedDevice(UUID guid, Password adminPassword, String ciraUsername, Password ciraPassword,
                           String amtVersion, ControlMode controlMode, int powerState, String realm,
                           String hostName, String domainName) {
        this(guid, Objects.requireNonNull(adminPassword, "adminPassword"), Objects.requireNonNull(ciraUsername, "ciraUsername"),
                Objects.requireNonNull(ciraPassword, "ciraPassword"), amtVersion, controlMode, powerState, realm, hostName,
                domainName, Set.of(), new SecureRandom());
    }

    private SimulatedDevice(UUID guid, Password adminPassword, String ciraUsername, Password ciraPassword,
                            String amtVersion, ControlMode controlMode, int powerState, String realm,
                            String hostName, String domainName, Set<String> trustedRootHashes, RandomGenerator random) {
        this.guid = Objects.requireNonNull(guid, "guid");
        this.initialCiraUsername = ciraUsername;
        this.initialCiraPassword = ciraPassword;
        if (amtVersion == null || !amtVersion.matches("\\d{1,2}\\.\\d{1,3}\\.\\d{1,5}")) {
            throw new IllegalArgumentException("amtVersion must look like 15.0.23");
        }
        this.amtVersion = amtVersion;
        this.controlMode = Objects.requireNonNull(controlMode, "controlMode");
        if (realm == null || !realm.matches("Digest:[0-9A-F]{32}")) {
            throw new IllegalArgumentException("realm must be Digest: plus 32 uppercase hex digits");
        }
        this.realm = realm;
        this.hostName = Objects.requireNonNull(hostName, "hostName");
        this.domainName = Objects.requireNonNull(domainName, "domainName");
        this.trustedRootHashes = Set.copyOf(trustedRootHashes);
        this.random = Objects.requireNonNull(random, "random");
        this.powerState = powerState;
        if ((adminPassword == null) != (controlMode == ControlMode.NONE)) {
            throw new IllegalArgumentException("a device has an admin password exactly when it is activated");
        }
        if (adminPassword != null) {
            this.adminPassword = adminPassword;
            this.adminHa1 = Password.of(DigestHash.ha1Hex(AmtWebService.USER, realm, adminPassword));
        }
        random.nextBytes(configurationNonce);
    }

    /** A powered-on ACM device with AMT 16.1.25 and a random realm. */
    public static SimulatedDevice create(UUID guid, Password adminPassword, Password ciraPassword, RandomGenerator random) {
        String realm = randomRealm(random);
        String host = "sim-" + guid.toString().substring(0, 8);
        return new SimulatedDevice(guid, adminPassword, "cira-" + guid.toString().substring(0, 8).toLowerCase(Locale.ROOT),
                ciraPassword, "16.1.25", ControlMode.ACM, 2, realm, host, "example.test");
    }

    /**
     * A powered-on AMT 16.1.25 machine fresh from the factory: pre-provisioning, no admin password, DNS
     * suffix {@code dnsSuffix}, trusting provisioning roots whose SHA-256 (or SHA-1/SHA-384) fingerprint is in
     * {@code trustedRootHashes} (hex, any case).
     *
     * @param random realm and ConfigurationNonce source; pass a {@link SecureRandom} outside tests
     */
    public static SimulatedDevice preProvisioned(UUID guid, String dnsSuffix, Collection<String> trustedRootHashes,
                                                 RandomGenerator random) {
        if (dnsSuffix == null || !dnsSuffix.matches("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*")) {
            throw new IllegalArgumentException("dnsSuffix must be a domain name");
        }
        Set<String> hashes = new HashSet<>();
        for (String h : trustedRootHashes) {
            if (!h.matches("[0-9A-Fa-f]{40}|[0-9A-Fa-f]{64}|[0-9A-Fa-f]{96}")) {
                throw new IllegalArgumentException("a trusted root hash is SHA-1, SHA-256 or SHA-384 in hex");
            }
            hashes.add(h.toLowerCase(Locale.ROOT));
        }
        return new SimulatedDevice(guid, null, null, null, "16.1.25", ControlMode.NONE, 2, randomRealm(random),
                "sim-" + guid.toString().substring(0, 8), dnsSuffix, hashes, random);
    }

    private static String randomRealm(RandomGenerator random) {
        byte[] r = new byte[16];
        random.nextBytes(r);
        return "Digest:" + HexFormat.of().withUpperCase().formatHex(r);
    }

    public UUID guid() {
        return guid;
    }

    /**
     * The admin password, when the device was built activated with one.
     *
     * @throws IllegalStateException when the device holds only the Digest hash (activated over WS-Man) or
     *         none (pre-provisioning)
     */
    public synchronized Password adminPassword() {
        if (adminPassword == null) {
            throw new IllegalStateException("the device holds no admin password, only its Digest hash or nothing");
        }
        return adminPassword;
    }

    /** The CIRA user name: the configured MPS's, else the one it was built with. */
    public synchronized String ciraUsername() {
        return cira.settings().map(CiraSettings::username).or(() -> Optional.ofNullable(initialCiraUsername))
                .orElseThrow(() -> new IllegalStateException("the device is not configured for CIRA"));
    }

    /** The CIRA password: the configured MPS's (destroyed by unprovision), else the one it was built with. */
    public synchronized Password ciraPassword() {
        return cira.settings().map(CiraSettings::password).or(() -> Optional.ofNullable(initialCiraPassword))
                .orElseThrow(() -> new IllegalStateException("the device is not configured for CIRA"));
    }

    /** What CIRA configuration told the device (MPS, port, credentials, roots, policy), if it was configured. */
    public synchronized Optional<CiraSettings> ciraSettings() {
        return cira.settings();
    }

    /** 0 pre-provisioning, 2 post (the simulator has no "in" state). */
    public synchronized int provisioningState() {
        return controlMode == ControlMode.NONE ? 0 : 2;
    }

    /** The DNS suffix ACM checks the provisioning certificate against: the device's domain name. */
    public String dnsSuffix() {
        return domainName;
    }

    public Set<String> trustedRootHashes() {
        return trustedRootHashes;
    }

    /** Whether a MEBx password was set since activation. */
    public synchronized boolean hasMebxPassword() {
        return mebxPassword != null;
    }

    /** Why the last provisioning call was refused, if one was. */
    public synchronized Optional<ProvisioningRefusal> lastRefusal() {
        return Optional.ofNullable(lastRefusal);
    }

    public String amtVersion() {
        return amtVersion;
    }

    public int amtMajor() {
        return Integer.parseInt(amtVersion.substring(0, amtVersion.indexOf('.')));
    }

    public synchronized ControlMode controlMode() {
        return controlMode;
    }

    public String realm() {
        return realm;
    }

    public String hostName() {
        return hostName;
    }

    public String domainName() {
        return domainName;
    }

    public synchronized int powerState() {
        return powerState;
    }

    public synchronized BootTarget lastBoot() {
        return lastBoot;
    }

    public synchronized int boots() {
        return boots;
    }

    public synchronized boolean biosSetupRequested() {
        return biosSetupRequested;
    }

    synchronized void requestBiosSetup(boolean on) {
        biosSetupRequested = on;
    }

    synchronized void setNextBootRole() {
        nextBootRoleSet = true;
    }

    // ---- provisioning, for AmtWebService ----

    /** Lowercase hex HA1 of the admin account, or null in pre-provisioning. */
    synchronized Password adminHa1() {
        return adminHa1;
    }

    /** Counts credential changes, so the web service knows when to rebuild its Digest verifier. */
    synchronized long credentialGeneration() {
        return credentialGeneration;
    }

    synchronized byte[] configurationNonce() {
        return configurationNonce.clone();
    }

    /** A fresh nonce: after every AdminSetup attempt and unprovision, so a signature is never replayed. */
    synchronized void renewConfigurationNonce() {
        random.nextBytes(configurationNonce);
    }

    ProvisioningChain chain() {
        return chain;
    }

    CiraProvisioning cira() {
        return cira;
    }

    synchronized void refused(ProvisioningRefusal why) {
        lastRefusal = why;
    }

    /** Activation: the control mode and the admin HA1 (lowercase hex). */
    synchronized void activate(ControlMode mode, Password ha1Hex) {
        if (mode == ControlMode.NONE) {
            throw new IllegalArgumentException("activation needs CCM or ACM");
        }
        controlMode = mode;
        adminHa1 = ha1Hex;
        adminPassword = null;
        credentialGeneration++;
        chain.reset();
    }

    synchronized void changeAdminHa1(Password ha1Hex) {
        if (adminHa1 != null && adminHa1 != ha1Hex) {
            adminHa1.destroy();
        }
        adminHa1 = ha1Hex;
        adminPassword = null;
        credentialGeneration++;
    }

    synchronized void setMebxPassword(Password password) {
        if (mebxPassword != null) {
            mebxPassword.destroy();
        }
        mebxPassword = password;
    }

    /** {@code IPS_OptInService.OptInRequired}: 0 none, 1 KVM, 4294967295 all ({@code ActivationSteps.OPT_IN_*}). */
    public synchronized long optInRequired() {
        return optInRequired;
    }

    /** What {@code AMT_EthernetPortSettings} of the wired port holds. */
    public synchronized WiredNetwork wiredNetwork() {
        return wiredNetwork;
    }

    synchronized void setOptInRequired(long value) {
        optInRequired = value;
    }

    synchronized void setWiredNetwork(WiredNetwork network) {
        wiredNetwork = network;
    }

    /** Back to pre-provisioning; admin, MEBx and CIRA secrets are destroyed, consent and network back to defaults. */
    synchronized void unprovision() {
        optInRequired = ActivationSteps.OPT_IN_ALL;
        wiredNetwork = WiredNetwork.dhcpNetwork();
        controlMode = ControlMode.NONE;
        if (adminHa1 != null) {
            adminHa1.destroy();
        }
        adminHa1 = null;
        adminPassword = null;
        if (mebxPassword != null) {
            mebxPassword.destroy();
        }
        mebxPassword = null;
        cira.clear();
        chain.reset();
        credentialGeneration++;
        renewConfigurationNonce();
    }

    /** Sets the state; {@code boot} marks a start of the host (power on, reset, cycle), which uses up boot settings. */
    synchronized void changePower(int newState, boolean boot) {
        powerState = newState;
        if (boot) {
            boots++;
            lastBoot = biosSetupRequested && nextBootRoleSet ? BootTarget.BIOS_SETUP : BootTarget.NORMAL;
            biosSetupRequested = false;
            nextBootRoleSet = false;
        }
    }

    private synchronized ControlMode controlModeForToString() {
        return controlMode;
    }

    @Override
    public String toString() {
        return "SimulatedDevice[guid=" + guid + ", amt=" + amtVersion + ", mode=" + controlModeForToString()
                + ", adminPassword=[hidden], ciraPassword=[hidden]]";
    }
}
