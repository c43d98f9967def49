package org.amtbus.sim.amt;

import org.amtbus.platform.testing.ManualClock;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.amtbus.wsman.client.CommandCatalogue;
import org.amtbus.wsman.client.WsmanClient;
import org.amtbus.wsman.digest.DigestClient;
import org.amtbus.wsman.digest.Password;
import org.amtbus.wsman.message.WsmanRequests;

/** One simulated device, its web service, an in-memory transport and a client: the shared test setup. */
final class SimHarness {
    static final String PASSWORD = "Sim-Adm1n!pass";
    final ManualClock deviceClock = new ManualClock();
    final List<Runnable> delayed = new ArrayList<>();
    final SimulatedDevice device;
    final AmtWebService service;
    final InMemoryTransport transport;
    final WsmanClient client;
    final CommandCatalogue catalogue;

    SimHarness(String clientPassword, int pieceBytes, Duration timeout) {
        SplittableRandom random = new SplittableRandom(42);
        device = SimulatedDevice.create(UUID.fromString("12345678-9abc-def0-1234-56789abcdef0"),
                Password.of(PASSWORD), Password.of("Cira-P4ss!word"), random);
        service = new AmtWebService(device, deviceClock, random, Duration.ofMinutes(5), delayed::add, 500);
        transport = new InMemoryTransport(service, pieceBytes);
        client = new WsmanClient(transport, new DigestClient("admin", Password.of(clientPassword), random),
                device.guid().toString(), timeout, Clock.systemUTC());
        catalogue = new CommandCatalogue(client, new WsmanRequests());
    }

    SimHarness() {
        this(PASSWORD, 97, Duration.ofSeconds(10));
    }
}
