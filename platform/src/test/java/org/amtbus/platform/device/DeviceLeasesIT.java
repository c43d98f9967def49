package org.amtbus.platform.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.amtbus.platform.db.Database;
import org.amtbus.platform.testing.SharedPostgres;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.GatewayId;
import org.amtbus.schemas.model.TenantId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The registry and the lease rules against real PostgreSQL. */
class DeviceLeasesIT {

    private static final Duration LONG = Duration.ofMinutes(5);
    private static Database database;
    private static DeviceRegistry registry;
    private static DeviceLeases leases;

    @BeforeAll
    static void start() {
        database = SharedPostgres.newDatabase().migrated();
        DataSource ds = database.dataSource();
        registry = new DeviceRegistry(ds);
        leases = new DeviceLeases(ds);
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    private static DeviceGuid newDevice(String tenant) {
        DeviceGuid guid = DeviceGuid.of(UUID.randomUUID());
        assertThat(registry.add(new Device(guid, new TenantId(tenant), Device.defaultCiraUsername(guid),
                Optional.of("host-1.example.test"), List.of("lab", "floor:2"), Instant.now()))).isTrue();
        return guid;
    }

    private static GatewayId newGateway() {
        GatewayId id = new GatewayId("gw-" + UUID.randomUUID().toString().substring(0, 8));
        leases.startGateway(id, UUID.randomUUID(), LONG);
        return id;
    }

    @Test
    void registersFindsListsAndRemovesDevices() {
        DeviceGuid guid = newDevice("acme");
        Device found = registry.find(guid).orElseThrow();
        assertThat(found.tenant()).isEqualTo(new TenantId("acme"));
        assertThat(found.tags()).containsExactly("lab", "floor:2");
        assertThat(found.hostname()).contains("host-1.example.test");
        assertThat(registry.add(found)).as("a second registration of the same GUID").isFalse();
        assertThat(registry.list(Optional.of(new TenantId("acme")), 100)).contains(found);
        assertThat(registry.list(Optional.of(new TenantId("other")), 100)).doesNotContain(found);
        assertThat(registry.withTag("lab", 1000)).contains(found);
        assertThat(registry.remove(guid)).isTrue();
        assertThat(registry.find(guid)).isEmpty();
        assertThat(registry.remove(guid)).isFalse();
    }

    @Test
    void theNewestConnectionWinsAndALateReleaseOfTheOldOneChangesNothing() {
        DeviceGuid guid = newDevice("acme");
        GatewayId a = newGateway();
        GatewayId b = newGateway();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();

        assertThat(leases.claim(guid, a, first)).isEmpty();
        assertThat(leases.holder(guid)).hasValueSatisfying(l -> assertThat(l.connectionId()).isEqualTo(first));

        Optional<Lease> replaced = leases.claim(guid, b, second);
        assertThat(replaced).hasValueSatisfying(l -> {
            assertThat(l.gatewayId()).isEqualTo(a);
            assertThat(l.connectionId()).isEqualTo(first);
            assertThat(l.tenant()).isEqualTo(new TenantId("acme"));
        });

        assertThat(leases.release(guid, first)).as("late disconnect of the old connection").isFalse();
        assertThat(leases.holder(guid)).hasValueSatisfying(l -> assertThat(l.gatewayId()).isEqualTo(b));
        assertThat(leases.release(guid, second)).isTrue();
        assertThat(leases.holder(guid)).isEmpty();
    }

    @Test
    void leasesLapseWithTheirGatewaysHeartbeatAndAreReapedOnce() {
        DeviceGuid one = newDevice("acme");
        DeviceGuid two = newDevice("beta");
        GatewayId gw = newGateway();
        leases.claim(one, gw, UUID.randomUUID());
        leases.claim(two, gw, UUID.randomUUID());
        assertThat(leases.heldBy(gw)).extracting(Lease::guid).containsExactlyInAnyOrder(one, two);

        leases.stopHeartbeat(gw);
        assertThat(leases.holder(one)).as("no valid lease once the heartbeat lapsed").isEmpty();
        assertThat(leases.liveGateways()).doesNotContain(gw);

        List<Lease> reaped = leases.reapLapsed();
        assertThat(reaped).extracting(Lease::guid).contains(one, two);
        assertThat(leases.reapLapsed()).extracting(Lease::guid).doesNotContain(one, two);
    }

    @Test
    void aHeartbeatTellsWhetherItHadLapsed() {
        GatewayId gw = new GatewayId("gw-" + UUID.randomUUID().toString().substring(0, 8));
        UUID instance = UUID.randomUUID();
        assertThat(leases.heartbeat(gw, instance, LONG)).as("the first heartbeat").isTrue();
        assertThat(leases.heartbeat(gw, instance, LONG)).as("renewed in time").isFalse();
        leases.stopHeartbeat(gw);
        assertThat(leases.heartbeat(gw, instance, LONG)).as("after a lapse").isTrue();
        assertThat(leases.liveGateways()).contains(gw);
    }

    @Test
    void anOpenConnectionTakesItsLapsedLeaseBackButNeverALiveOne() {
        DeviceGuid reaped = newDevice("acme");
        DeviceGuid stale = newDevice("acme");
        DeviceGuid moved = newDevice("acme");
        GatewayId here = newGateway();
        GatewayId lapsed = newGateway();
        GatewayId elsewhere = newGateway();
        UUID connection = UUID.randomUUID();

        // a lease that was reaped during an outage: free now
        assertThat(leases.reclaim(reaped, here, connection)).isTrue();
        assertThat(leases.holder(reaped)).hasValueSatisfying(l -> assertThat(l.connectionId()).isEqualTo(connection));
        // already ours: stays ours
        assertThat(leases.reclaim(reaped, here, connection)).isTrue();

        // held by a gateway whose heartbeat lapsed, not reaped yet
        leases.claim(stale, lapsed, UUID.randomUUID());
        leases.stopHeartbeat(lapsed);
        UUID mine = UUID.randomUUID();
        assertThat(leases.reclaim(stale, here, mine)).isTrue();
        assertThat(leases.holder(stale)).hasValueSatisfying(l -> assertThat(l.connectionId()).isEqualTo(mine));
        assertThat(leases.reapLapsed()).extracting(Lease::guid).doesNotContain(stale);

        // the device dialled another live gateway meanwhile: that lease is not taken
        UUID newer = UUID.randomUUID();
        leases.claim(moved, elsewhere, newer);
        assertThat(leases.reclaim(moved, here, UUID.randomUUID())).isFalse();
        assertThat(leases.holder(moved)).hasValueSatisfying(l -> assertThat(l.connectionId()).isEqualTo(newer));
    }

    @Test
    void aRestartedGatewayEndsTheLeasesOfItsPreviousRun() {
        DeviceGuid guid = newDevice("acme");
        GatewayId gw = newGateway();
        leases.claim(guid, gw, UUID.randomUUID());

        leases.stopHeartbeat(gw);
        List<Lease> stale = leases.startGateway(gw, UUID.randomUUID(), LONG);

        assertThat(stale).extracting(Lease::guid).containsExactly(guid);
        assertThat(leases.holder(guid)).isEmpty();
    }

    @Test
    void aSecondLiveInstanceCannotTakeARunningGatewaysId() {
        GatewayId gw = newGateway();
        assertThatThrownBy(() -> leases.startGateway(gw, UUID.randomUUID(), LONG))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("in use");
    }

    @Test
    void removingADeviceEndsItsLease() {
        DeviceGuid guid = newDevice("acme");
        GatewayId gw = newGateway();
        leases.claim(guid, gw, UUID.randomUUID());
        registry.remove(guid);
        assertThat(leases.holder(guid)).isEmpty();
    }
}
