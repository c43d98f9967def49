package org.amtbus.sim.amt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.amtbus.schemas.model.CommandAction;
import org.amtbus.wsman.client.CommandOutcome;
import org.amtbus.wsman.client.FailureKind;
import org.junit.jupiter.api.Test;

/** Every catalogue action through WsmanClient, HTTP Digest and the simulator's web service. */
class CatalogueEndToEndTest {

    @Test
    void powerStateReportsOnAfterTheDigestRoundTrip() {
        // given a fresh device that is on, and a client that has never been challenged
        SimHarness h = new SimHarness();
        // when
        CommandOutcome outcome = h.catalogue.execute(CommandAction.POWER_STATE);
        // then: the first request drew a 401 with Connection: close, the retry went on a new connection
        assertThat(outcome).isEqualTo(new CommandOutcome.Succeeded(Map.of("powerState", "on", "powerStateCode", 2)));
        assertThat(h.transport.connectionsOpened()).isEqualTo(2);
    }

    @Test
    void hardOffThenOnReallyChangesThePowerState() {
        // given
        SimHarness h = new SimHarness();
        // when
        CommandOutcome off = h.catalogue.execute(CommandAction.POWER_OFF_HARD);
        // then
        assertThat(off).isEqualTo(new CommandOutcome.Succeeded(Map.of("returnValue", 0, "requestedPowerState", 8)));
        assertThat(h.device.powerState()).isEqualTo(8);
        assertThat(h.catalogue.execute(CommandAction.POWER_STATE))
                .isEqualTo(new CommandOutcome.Succeeded(Map.of("powerState", "off", "powerStateCode", 8)));
        // when
        CommandOutcome on = h.catalogue.execute(CommandAction.POWER_ON);
        // then
        assertThat(on).isInstanceOf(CommandOutcome.Succeeded.class);
        assertThat(h.device.powerState()).isEqualTo(2);
        assertThat(h.device.lastBoot()).isEqualTo(SimulatedDevice.BootTarget.NORMAL);
        // and later requests reused the nonce on the kept-alive connection
        assertThat(h.transport.connectionsOpened()).isEqualTo(2);
    }

    @Test
    void softOffTurnsTheDeviceOff() {
        SimHarness h = new SimHarness();
        assertThat(h.catalogue.execute(CommandAction.POWER_OFF))
                .isEqualTo(new CommandOutcome.Succeeded(Map.of("returnValue", 0, "requestedPowerState", 12)));
        assertThat(h.device.powerState()).isEqualTo(8);
    }

    @Test
    void powerOnOfARunningMachineIsRefusedWithReturnValueTwo() {
        // given a device that is on
        SimHarness h = new SimHarness();
        // when
        CommandOutcome outcome = h.catalogue.execute(CommandAction.POWER_ON);
        // then
        assertThat(outcome).isInstanceOf(CommandOutcome.Failed.class);
        CommandOutcome.Failed failed = (CommandOutcome.Failed) outcome;
        assertThat(failed.kind()).isEqualTo(FailureKind.DEVICE_REFUSED);
        assertThat(failed.reason()).startsWith("RequestPowerStateChange(2) returned 2");
        assertThat(h.device.boots()).isZero();
    }

    @Test
    void resetAndCycleRebootARunningMachineButNotAnOffOne() {
        SimHarness h = new SimHarness();
        assertThat(h.catalogue.execute(CommandAction.POWER_RESET)).isInstanceOf(CommandOutcome.Succeeded.class);
        assertThat(h.catalogue.execute(CommandAction.POWER_CYCLE)).isInstanceOf(CommandOutcome.Succeeded.class);
        assertThat(h.device.boots()).isEqualTo(2);
        assertThat(h.device.powerState()).isEqualTo(2);

        h.catalogue.execute(CommandAction.POWER_OFF_HARD);
        CommandOutcome resetWhileOff = h.catalogue.execute(CommandAction.POWER_RESET);
        assertThat(resetWhileOff).isInstanceOf(CommandOutcome.Failed.class);
        assertThat(h.device.powerState()).isEqualTo(8);
    }

    @Test
    void powerBiosBootsAnOffMachineIntoBiosSetupOnce() {
        // given an off device
        SimHarness h = new SimHarness();
        h.catalogue.execute(CommandAction.POWER_OFF_HARD);
        // when
        CommandOutcome outcome = h.catalogue.execute(CommandAction.POWER_BIOS);
        // then
        assertThat(outcome).isEqualTo(new CommandOutcome.Succeeded(Map.of("returnValue", 0, "requestedPowerState", 2)));
        assertThat(h.device.powerState()).isEqualTo(2);
        assertThat(h.device.lastBoot()).isEqualTo(SimulatedDevice.BootTarget.BIOS_SETUP);
        // and the setting was single-use
        h.catalogue.execute(CommandAction.POWER_RESET);
        assertThat(h.device.lastBoot()).isEqualTo(SimulatedDevice.BootTarget.NORMAL);
    }

    @Test
    void resetToBiosRebootsARunningMachineIntoBiosSetup() {
        SimHarness h = new SimHarness();
        CommandOutcome outcome = h.catalogue.execute(CommandAction.POWER_RESET_BIOS);
        assertThat(outcome).isEqualTo(new CommandOutcome.Succeeded(Map.of("returnValue", 0, "requestedPowerState", 10)));
        assertThat(h.device.lastBoot()).isEqualTo(SimulatedDevice.BootTarget.BIOS_SETUP);
    }

    @Test
    void amtInfoReportsVersionProvisioningAndControlMode() {
        SimHarness h = new SimHarness();
        CommandOutcome outcome = h.catalogue.execute(CommandAction.AMT_INFO);
        assertThat(outcome).isEqualTo(new CommandOutcome.Succeeded(Map.of("amtVersion", "16.1.25", "amtMajor", 16,
                "provisioningState", "post", "provisioningMode", "acm", "controlMode", "acm")));
    }

    @Test
    void amtSettingsCarryTheRealmOfTheChallenge() {
        SimHarness h = new SimHarness();
        CommandOutcome outcome = h.catalogue.execute(CommandAction.AMT_SETTINGS);
        assertThat(outcome).isInstanceOf(CommandOutcome.Succeeded.class);
        Map<String, Object> out = ((CommandOutcome.Succeeded) outcome).output();
        assertThat(out).containsEntry("digestRealm", h.device.realm())
                .containsEntry("hostName", h.device.hostName())
                .containsEntry("domainName", "example.test")
                .containsEntry("networkInterfaceEnabled", true)
                .containsEntry("amtNetworkEnabled", true)
                .containsEntry("powerSource", "ac");
        assertThat(h.device.realm()).matches("Digest:[0-9A-F]{32}");
    }

    @Test
    void everyCatalogueActionHasAnOutcomeAndNoneLeaksThePassword() {
        for (CommandAction action : CommandAction.values()) {
            SimHarness h = new SimHarness();
            CommandOutcome outcome = h.catalogue.execute(action);
            assertThat(outcome).as(action.wireName()).isNotNull();
            assertThat(outcome.toString()).doesNotContain(SimHarness.PASSWORD);
        }
    }
}
