package org.amtbus.sim.amt;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.amtbus.wsman.digest.Password;

/**
 * One simulated AMT machine: identity and secrets (fixed), and the state power and boot commands change.
 * The Digest realm is {@code Digest:} plus 32 uppercase hex digits, unique per device, as on real firmware.
 * {@link #toString()} never prints a password. Thread-safe: state is guarded by this object's monitor.
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

    private final UUID guid;
    private final Password adminPassword;
    private final String ciraUsername;
    private final Password ciraPassword;
    private final String amtVersion;
    private final ControlMode controlMode;
    private final String realm;
    private final String hostName;
    private final String domainName;

    private int powerState;
    private boolean biosSetupRequested;
    private boolean nextBootRoleSet;
    private BootTarget lastBoot = BootTarget.NONE;
    private int boots;

    public SimulatedDevice(UUID guid, Password adminPassword, String ciraUsername, Password ciraPassword,
                           String amtVersion, ControlMode controlMode, int powerState, String realm,
                           String hostName, String domainName) {
        this.guid = Objects.requireNonNull(guid, "guid");
        this.adminPassword = Objects.requireNonNull(adminPassword, "adminPassword");
        this.ciraUsername = Objects.requireNonNull(ciraUsername, "ciraUsername");
        this.ciraPassword = Objects.requireNonNull(ciraPassword, "ciraPassword");
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
        this.powerState = powerState;
    }

    /** A powered-on ACM device with AMT 16.1.25 and a random realm. */
    public static SimulatedDevice create(UUID guid, Password adminPassword, Password ciraPassword, RandomGenerator random) {
        byte[] r = new byte[16];
        random.nextBytes(r);
        String realm = "Digest:" + HexFormat.of().withUpperCase().formatHex(r);
        String host = "sim-" + guid.toString().substring(0, 8);
        return new SimulatedDevice(guid, adminPassword, "cira-" + guid.toString().substring(0, 8).toLowerCase(Locale.ROOT),
                ciraPassword, "16.1.25", ControlMode.ACM, 2, realm, host, "example.test");
    }

    public UUID guid() {
        return guid;
    }

    public Password adminPassword() {
        return adminPassword;
    }

    public String ciraUsername() {
        return ciraUsername;
    }

    public Password ciraPassword() {
        return ciraPassword;
    }

    public String amtVersion() {
        return amtVersion;
    }

    public int amtMajor() {
        return Integer.parseInt(amtVersion.substring(0, amtVersion.indexOf('.')));
    }

    public ControlMode controlMode() {
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

    @Override
    public String toString() {
        return "SimulatedDevice[guid=" + guid + ", amt=" + amtVersion + ", mode=" + controlMode
                + ", adminPassword=[hidden], ciraUsername=" + ciraUsername + ", ciraPassword=[hidden]]";
    }
}
