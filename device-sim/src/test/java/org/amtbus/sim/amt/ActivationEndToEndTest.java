package org.amtbus.sim.amt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.UUID;
import org.amtbus.platform.testing.ManualClock;
import org.amtbus.schemas.model.CommandAction;
import org.amtbus.wsman.activation.ActivationStep;
import org.amtbus.wsman.activation.ActivationSteps;
import org.amtbus.wsman.activation.ChainReturn;
import org.amtbus.wsman.activation.CiraConfiguration;
import org.amtbus.wsman.activation.HostBasedSetup;
import org.amtbus.wsman.activation.MpsServer;
import org.amtbus.wsman.activation.ProvisioningStatus;
import org.amtbus.wsman.activation.PtStatus;
import org.amtbus.wsman.activation.SetupReturn;
import org.amtbus.wsman.activation.StepOutcome;
import org.amtbus.wsman.activation.WiredNetwork;
import org.amtbus.wsman.client.CommandCatalogue;
import org.amtbus.wsman.client.CommandOutcome;
import org.amtbus.wsman.client.FailureKind;
import org.amtbus.wsman.client.Transport;
import org.amtbus.wsman.client.WsmanClient;
import org.amtbus.wsman.digest.DigestClient;
import org.amtbus.wsman.digest.Password;
import org.amtbus.wsman.message.WsmanRequests;
import org.junit.jupiter.api.Test;

/**
 * Activation, CIRA configuration and deactivation: {@link ActivationSteps} through WsmanClient, HTTP Digest
 * and the simulator's web service, the agent on a local (LME) session, later management on a network one.
 */
class ActivationEndToEndTest {
    static final String ADMIN = "New-Adm1n!pass";
    static final String MEBX = "Mebx-P4ss!word";
    static final String MPS_PASSWORD = "Cira-P4ss!w0rd#";
    final ManualClock clock = new ManualClock();
    final SplittableRandom random = new SplittableRandom(7);
    final ProvisioningPki pki = new ProvisioningPki(clock.instant());

    /** A pre-provisioned machine, its web service and the agent's steps on a local session. */
    final class Machine {
        final SimulatedDevice device;
        final AmtWebService service;
        final ActivationSteps agent;

        Machine(String dnsSuffix, List<String> trustedHashes) {
            device = SimulatedDevice.preProvisioned(UUID.fromString("0f0e0d0c-0b0a-0908-0706-050403020100"), dnsSuffix,
                    trustedHashes, random);
            service = new AmtWebService(device, clock, random, Duration.ofMinutes(5), Runnable::run, 500);
            agent = steps(InMemoryTransport.local(service), ADMIN);
        }

        Machine() {
            this("example.test", List.of(ProvisioningPki.sha256(pki.root)));
        }

        /** Steps over a network session (as over CIRA) with {@code password}. */
        ActivationSteps remote(String password) {
            return steps(new InMemoryTransport(service, 97), password);
        }

        CommandCatalogue catalogue(String password) {
            return new CommandCatalogue(client(new InMemoryTransport(service, 97), password), new WsmanRequests());
        }

        ActivationSteps steps(Transport transport, String password) {
            return new ActivationSteps(client(transport, password), new WsmanRequests(), random);
        }

        WsmanClient client(Transport transport, String password) {
            return new WsmanClient(transport, new DigestClient("admin", Password.of(password), random),
                    device.guid().toString(), Duration.ofSeconds(10), Clock.systemUTC());
        }
    }

    private static <T> StepOutcome.Failed<T> failed(StepOutcome<T> outcome) {
        assertThat(outcome).isInstanceOf(StepOutcome.Failed.class);
        return (StepOutcome.Failed<T>) outcome;
    }

    private static <T> T done(StepOutcome<T> outcome) {
        assertThat(outcome).as(outcome.toString()).isInstanceOf(StepOutcome.Done.class);
        return ((StepOutcome.Done<T>) outcome).value();
    }

    @Test
    void aPreProvisionedMachineReportsNoControlModeAndItsNonce() {
        // given
        Machine m = new Machine();
        // when
        HostBasedSetup hbs = done(m.agent.readHostBasedSetup());
        ProvisioningStatus status = done(m.agent.readProvisioningStatus());
        // then
        assertThat(hbs.currentControlMode()).isZero();
        assertThat(hbs.allowedControlModes()).containsExactlyInAnyOrder(1, 2);
        assertThat(hbs.configurationNonce()).hasSize(20);
        assertThat(status.preProvisioning()).isTrue();
        assertThat(done(m.agent.readGeneralSettings()).digestRealm()).isEqualTo(m.device.realm());
    }

    @Test
    void aNetworkSessionIsRefusedBeforeActivationEvenWithTheFactoryPassword() {
        Machine m = new Machine();
        StepOutcome.Failed<?> f = failed(m.remote(SimulatedDevice.FACTORY_ADMIN_PASSWORD).readGeneralSettings());
        assertThat(f.kind()).isEqualTo(FailureKind.AUTH_FAILED);
    }

    @Test
    void ccmActivationThenPowerStateWithTheNewPassword() {
        // given
        Machine m = new Machine();
        // when
        StepOutcome<Void> outcome = m.agent.activateClientControlMode(Password.of(ADMIN));
        // then
        done(outcome);
        assertThat(m.device.controlMode()).isEqualTo(SimulatedDevice.ControlMode.CCM);
        assertThat(m.catalogue(ADMIN).execute(CommandAction.POWER_STATE))
                .isEqualTo(new CommandOutcome.Succeeded(Map.of("powerState", "on", "powerStateCode", 2)));
        assertThat(done(m.remote(ADMIN).readProvisioningStatus())).isEqualTo(new ProvisioningStatus(2, 4));
        // and the factory password no longer opens anything
        CommandOutcome refused = m.catalogue(SimulatedDevice.FACTORY_ADMIN_PASSWORD).execute(CommandAction.POWER_STATE);
        assertThat(((CommandOutcome.Failed) refused).kind()).isEqualTo(FailureKind.AUTH_FAILED);
        // and the local agent session now needs the password too (it authenticated after the 401)
        assertThat(done(m.agent.readHostBasedSetup()).currentControlMode()).isEqualTo(HostBasedSetup.MODE_CLIENT);
    }

    @Test
    void aSecondSetupIsInvalidState() {
        Machine m = new Machine();
        done(m.agent.activateClientControlMode(Password.of(ADMIN)));
        String realm = m.device.realm();
        StepOutcome.Failed<Void> f = failed(m.agent.setupClientControl(realm, Password.of("Other-Adm1n!")));
        assertThat(f.returnValue()).isEqualTo(OptionalInt.of(SetupReturn.INVALID_STATE));
        assertThat(f.reason()).isEqualTo("IPS_HostBasedSetupService.Setup returned 2 (invalid state)");
        // and the first password still works
        assertThat(m.catalogue(ADMIN).execute(CommandAction.POWER_STATE)).isInstanceOf(CommandOutcome.Succeeded.class);
    }

    @Test
    void acmActivationWithAValidChainThenMebxPassword() {
        // given
        Machine m = new Machine();
        // when
        StepOutcome<Void> outcome = m.agent.activateAdminControlMode(Password.of(ADMIN), pki.leafKey, pki.chain());
        // then
        done(outcome);
        assertThat(m.device.controlMode()).isEqualTo(SimulatedDevice.ControlMode.ACM);
        assertThat(m.device.lastRefusal()).isEmpty();
        // when
        done(m.agent.setMebxPassword(Password.of(MEBX)));
        // then
        assertThat(m.device.hasMebxPassword()).isTrue();
        assertThat(m.catalogue(ADMIN).execute(CommandAction.AMT_INFO)).isEqualTo(new CommandOutcome.Succeeded(Map.of(
                "amtVersion", "16.1.25", "amtMajor", 16, "provisioningState", "post", "provisioningMode", "acm",
                "controlMode", "acm")));
    }

    @Test
    void acmRefusesARootWhoseHashTheFirmwareDoesNotTrust() {
        Machine m = new Machine("example.test", List.of(ProvisioningPki.sha256(pki.intermediate)));
        StepOutcome.Failed<Void> f = failed(m.agent.activateAdminControlMode(Password.of(ADMIN), pki.leafKey, pki.chain()));
        assertThat(f.step()).isEqualTo(ActivationStep.ADD_NEXT_CERT_IN_CHAIN);
        assertThat(f.returnValue()).isEqualTo(OptionalInt.of(ChainReturn.CERTIFICATE_VERIFY_FAILED));
        assertThat(f.reason()).isEqualTo("IPS_HostBasedSetupService.AddNextCertInChain returned 4 "
                + "(certificate verification failed) for certificate 3 of 3");
        assertThat(m.device.lastRefusal()).contains(ProvisioningRefusal.UNKNOWN_ROOT);
        assertThat(m.device.controlMode()).isEqualTo(SimulatedDevice.ControlMode.NONE);
    }

    @Test
    void acmRefusesALeafOutsideTheDevicesDnsSuffix() {
        Machine m = new Machine("corp.other.test", List.of(ProvisioningPki.sha256(pki.root)));
        StepOutcome.Failed<Void> f = failed(m.agent.activateAdminControlMode(Password.of(ADMIN), pki.leafKey, pki.chain()));
        assertThat(f.step()).isEqualTo(ActivationStep.ADMIN_SETUP);
        assertThat(f.returnValue()).isEqualTo(OptionalInt.of(SetupReturn.AUTH_FAILED));
        assertThat(m.device.lastRefusal()).contains(ProvisioningRefusal.DNS_SUFFIX_MISMATCH);
        assertThat(m.device.controlMode()).isEqualTo(SimulatedDevice.ControlMode.NONE);
    }

    @Test
    void acmRefusesASignatureMadeWithAnotherKey() {
        Machine m = new Machine();
        StepOutcome.Failed<Void> f = failed(m.agent.activateAdminControlMode(Password.of(ADMIN), pki.otherKey, pki.chain()));
        assertThat(f.step()).isEqualTo(ActivationStep.ADMIN_SETUP);
        assertThat(f.returnValue()).isEqualTo(OptionalInt.of(SetupReturn.AUTH_FAILED));
        assertThat(f.reason()).isEqualTo("IPS_HostBasedSetupService.AdminSetup returned 5 (authentication failed)");
        assertThat(m.device.lastRefusal()).contains(ProvisioningRefusal.BAD_SIGNATURE);
        // and a retry with the right key works (fresh nonce, chain sent again)
        done(m.agent.activateAdminControlMode(Password.of(ADMIN), pki.leafKey, pki.chain()));
    }

    @Test
    void acmRefusesAnExpiredLeaf() {
        // given a machine whose clock is past the leaf's notAfter
        Machine m = new Machine();
        clock.advance(Duration.ofDays(400));
        // when
        StepOutcome.Failed<Void> f = failed(m.agent.activateAdminControlMode(Password.of(ADMIN), pki.leafKey, pki.chain()));
        // then the leaf, the first certificate sent, is refused
        assertThat(f.step()).isEqualTo(ActivationStep.ADD_NEXT_CERT_IN_CHAIN);
        assertThat(f.returnValue()).isEqualTo(OptionalInt.of(ChainReturn.CERTIFICATE_VERIFY_FAILED));
        assertThat(f.reason()).endsWith("for certificate 1 of 3");
        assertThat(m.device.lastRefusal()).contains(ProvisioningRefusal.CERTIFICATE_NOT_VALID_NOW);
    }

    @Test
    void adminSetupWithoutAChainIsInvalidStateAndCertificatesOutOfOrderAreRefused() {
        Machine m = new Machine();
        byte[] nonce = done(m.agent.readHostBasedSetup()).configurationNonce();
        StepOutcome.Failed<Void> noChain = failed(m.agent.adminSetup(m.device.realm(), Password.of(ADMIN), nonce, pki.leafKey));
        assertThat(noChain.returnValue()).isEqualTo(OptionalInt.of(SetupReturn.INVALID_STATE));
        assertThat(m.device.lastRefusal()).contains(ProvisioningRefusal.CHAIN_INCOMPLETE);

        StepOutcome.Failed<Void> rootFirst = failed(m.agent.addNextCertInChain(pki.root, false, true));
        assertThat(rootFirst.returnValue()).isEqualTo(OptionalInt.of(ChainReturn.INVALID_STATE));
        assertThat(m.device.lastRefusal()).contains(ProvisioningRefusal.CHAIN_OUT_OF_ORDER);

        done(m.agent.addNextCertInChain(pki.leaf, true, false));
        StepOutcome.Failed<Void> skipped = failed(m.agent.addNextCertInChain(pki.root, false, true));
        assertThat(skipped.returnValue()).isEqualTo(OptionalInt.of(ChainReturn.CERTIFICATE_VERIFY_FAILED));
        assertThat(m.device.lastRefusal()).contains(ProvisioningRefusal.BROKEN_CHAIN);
    }

    @Test
    void configurationBeforeActivationIsInvalidProvisioningState() {
        Machine m = new Machine();
        StepOutcome.Failed<String> f = failed(m.agent.addMpServer(mps()));
        assertThat(f.returnValue()).isEqualTo(OptionalInt.of(PtStatus.INVALID_PROVISIONING_STATE));
        assertThat(f.reason()).isEqualTo("AMT_RemoteAccessService.AddMpServer returned 0x20 (INVALID_PROVISIONING_STATE)");
        assertThat(failed(m.agent.setMebxPassword(Password.of(MEBX))).returnValue()).isEqualTo(OptionalInt.of(0x20));
        assertThat(failed(m.agent.unprovision()).returnValue()).isEqualTo(OptionalInt.of(0x20));
    }

    @Test
    void userConsentCanBeDroppedInAdminControlModeButNotInClientControlMode() {
        // given an ACM machine and a CCM machine
        Machine acm = new Machine();
        done(acm.agent.activateAdminControlMode(Password.of(ADMIN), pki.leafKey, pki.chain()));
        Machine ccm = new Machine();
        done(ccm.agent.activateClientControlMode(Password.of(ADMIN)));
        // when both are told to need no consent
        done(acm.agent.configureUserConsent(ActivationSteps.OPT_IN_NONE));
        StepOutcome.Failed<Void> refused = failed(ccm.agent.configureUserConsent(ActivationSteps.OPT_IN_NONE));
        // then only ACM changed; CCM keeps consent for everything and says why
        assertThat(acm.device.optInRequired()).isEqualTo(ActivationSteps.OPT_IN_NONE);
        assertThat(ccm.device.optInRequired()).isEqualTo(ActivationSteps.OPT_IN_ALL);
        assertThat(refused.step()).isEqualTo(ActivationStep.PUT_USER_CONSENT);
        assertThat(refused.reason()).contains("Client control mode requires user consent");
        done(ccm.agent.configureUserConsent(ActivationSteps.OPT_IN_ALL));
    }

    @Test
    void theWiredPortTakesAStaticAddressAndGoesBackToDhcp() {
        Machine m = new Machine();
        assertThat(failed(m.agent.configureWiredNetwork(WiredNetwork.dhcpNetwork())).reason()).contains("not provisioned");
        done(m.agent.activateClientControlMode(Password.of(ADMIN)));

        done(m.agent.configureWiredNetwork(WiredNetwork.staticNetwork("192.168.7.20", 25, java.util.Optional.of("192.168.7.1"),
                List.of("192.168.7.53"))));
        assertThat(m.device.wiredNetwork()).isEqualTo(new WiredNetwork(false, java.util.Optional.of("192.168.7.20"),
                java.util.Optional.of("255.255.255.128"), java.util.Optional.of("192.168.7.1"), List.of("192.168.7.53")));

        done(m.agent.configureWiredNetwork(WiredNetwork.dhcpNetwork()));
        assertThat(m.device.wiredNetwork()).isEqualTo(WiredNetwork.dhcpNetwork());
    }

    @Test
    void mebxPasswordIsNotPermittedInClientControlMode() {
        Machine m = new Machine();
        done(m.agent.activateClientControlMode(Password.of(ADMIN)));
        StepOutcome.Failed<Void> f = failed(m.agent.setMebxPassword(Password.of(MEBX)));
        assertThat(f.returnValue()).isEqualTo(OptionalInt.of(PtStatus.NOT_PERMITTED));
        assertThat(f.reason()).doesNotContain(MEBX);
    }

    @Test
    void ciraConfigurationIsRecordedAndGivesTheSettingsToDial() {
        // given an activated machine
        Machine m = new Machine();
        done(m.agent.activateClientControlMode(Password.of(ADMIN)));
        var mpsRoot = ProvisioningPki.selfSigned("MPSRoot-0a1b2c", clock.instant());
        CiraConfiguration config = new CiraConfiguration(mpsRoot, mps(),
                CiraConfiguration.rpsDefaults(mpsRoot, mps()).policies(), List.of("d7c0a7b4-never.com"));
        // when
        String sap = done(m.agent.configureCira(config));
        // then
        assertThat(sap).isEqualTo("Intel(r) AMT:Management Presence Server 0");
        CiraSettings s = m.device.ciraSettings().orElseThrow();
        assertThat(s.mpsAddress()).isEqualTo("mps.example.test");
        assertThat(s.infoFormat()).isEqualTo(MpsServer.FQDN);
        assertThat(s.port()).isEqualTo(4433);
        assertThat(s.commonName()).isEqualTo("mps.example.test");
        assertThat(s.username()).isEqualTo("cira-0f0e0d0c");
        assertThat(s.password().sameAs(Password.of(MPS_PASSWORD))).isTrue();
        assertThat(s.trustedRoots()).containsExactly(mpsRoot);
        assertThat(s.periodicIntervalSeconds()).isEqualTo(25);
        assertThat(s.userInitiatedEnabled()).isTrue();
        assertThat(s.detectionStrings()).containsExactly("d7c0a7b4-never.com");
        assertThat(s.toString()).doesNotContain(MPS_PASSWORD);
        // and CiraDevice would log in with them
        assertThat(m.device.ciraUsername()).isEqualTo("cira-0f0e0d0c");
        assertThat(m.device.ciraPassword().sameAs(Password.of(MPS_PASSWORD))).isTrue();
        // and both rules apply to the MPS, readable again over the network
        assertThat(done(m.remote(ADMIN).putPolicyAppliesToMps())).isEqualTo(2);
        assertThat(done(m.remote(ADMIN).findManagementPresenceSaps())).containsExactly(sap);
    }

    @Test
    void setAdminAclEntryChangesThePasswordDigestChecks() {
        Machine m = new Machine();
        done(m.agent.activateClientControlMode(Password.of(ADMIN)));
        String next = "Next-Adm1n!pass";
        done(m.remote(ADMIN).setAdminPassword(m.device.realm(), Password.of(next)));
        assertThat(m.catalogue(next).execute(CommandAction.POWER_STATE)).isInstanceOf(CommandOutcome.Succeeded.class);
        assertThat(((CommandOutcome.Failed) m.catalogue(ADMIN).execute(CommandAction.POWER_STATE)).kind())
                .isEqualTo(FailureKind.AUTH_FAILED);
    }

    @Test
    void unprovisionReturnsToPreProvisioningAndForgetsTheSecrets() {
        // given an ACM machine configured for CIRA
        Machine m = new Machine();
        done(m.agent.activateAdminControlMode(Password.of(ADMIN), pki.leafKey, pki.chain()));
        done(m.agent.setMebxPassword(Password.of(MEBX)));
        done(m.agent.configureCira(CiraConfiguration.rpsDefaults(ProvisioningPki.selfSigned("MPSRoot-1", clock.instant()), mps())));
        Password ciraPassword = m.device.ciraPassword();
        byte[] nonceBefore = done(m.remote(ADMIN).readHostBasedSetup()).configurationNonce();
        // when deactivated over the network, as over CIRA
        done(m.remote(ADMIN).unprovision());
        // then
        assertThat(m.device.controlMode()).isEqualTo(SimulatedDevice.ControlMode.NONE);
        assertThat(m.device.provisioningState()).isZero();
        assertThat(m.device.ciraSettings()).isEmpty();
        assertThat(m.device.hasMebxPassword()).isFalse();
        assertThat(ciraPassword.toString()).isEqualTo("[hidden]");
        assertThat(failed(m.remote(ADMIN).readGeneralSettings()).kind()).isEqualTo(FailureKind.AUTH_FAILED);
        // and a new agent session can activate it again, with a fresh nonce
        ActivationSteps agent = m.steps(InMemoryTransport.local(m.service), ADMIN);
        assertThat(done(agent.readHostBasedSetup()).configurationNonce()).isNotEqualTo(nonceBefore);
        done(agent.activateClientControlMode(Password.of(ADMIN)));
        assertThat(m.device.controlMode()).isEqualTo(SimulatedDevice.ControlMode.CCM);
    }

    private static MpsServer mps() {
        return new MpsServer("mps.example.test", MpsServer.FQDN, 4433, "cira-0f0e0d0c", Password.of(MPS_PASSWORD),
                "mps.example.test");
    }
}
