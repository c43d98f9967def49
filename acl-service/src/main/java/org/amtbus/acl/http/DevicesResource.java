package org.amtbus.acl.http;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.amtbus.platform.device.Device;
import org.amtbus.platform.device.DeviceEnrollment;
import org.amtbus.platform.device.DeviceRegistry;
import org.amtbus.platform.secret.Passwords;
import org.amtbus.platform.secret.Secret;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;

/**
 * {@code /api/v1/devices}: the device registry, through {@link DeviceEnrollment} (audited; a device
 * exists only with both its passwords in the secret store). Admin role only.
 *
 * <p>Invariant: a registration generates the device's CIRA and AMT admin passwords (unique, random,
 * AMT's complexity rule) and returns them in that one response body, nowhere else: not in a log line,
 * an audit event or any later answer. They are wiped from memory once the response is encoded.
 */
final class DevicesResource {

    static final String DEVICES = "/api/v1/devices";
    static final String DEVICE = "/api/v1/devices/{guid}";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    record DeviceView(String guid, String tenant, String ciraUsername, String hostname, List<String> tags,
                      Instant registeredAt) {
        static DeviceView of(Device d) {
            return new DeviceView(d.guid().value(), d.tenant().value(), d.ciraUsername(), d.hostname().orElse(null),
                    d.tags(), d.registeredAt());
        }
    }

    record DeviceList(List<DeviceView> devices) { }

    record NewDevice(String guid, String tenant, String hostname, List<String> tags, String ciraUsername) { }

    record Credentials(String ciraUsername, String ciraPassword, String amtAdminPassword) {
        @Override
        public String toString() {
            return "Credentials[ciraUsername=" + ciraUsername + ", passwords=[hidden]]";
        }
    }

    record Registered(DeviceView device, Credentials credentials) { }

    private final DeviceEnrollment enrollment;
    private final DeviceRegistry registry;
    private final BearerAuth auth;
    private final java.time.Clock clock;

    DevicesResource(DeviceEnrollment enrollment, DeviceRegistry registry, BearerAuth auth, java.time.Clock clock) {
        this.enrollment = Objects.requireNonNull(enrollment);
        this.registry = Objects.requireNonNull(registry);
        this.auth = Objects.requireNonNull(auth);
        this.clock = Objects.requireNonNull(clock);
    }

    void mount(ApiServer server) {
        server.route("GET", DEVICES, this::list);
        server.route("POST", DEVICES, this::register);
        server.route("DELETE", DEVICE, this::remove);
    }

    private ApiResponse list(ApiRequest request) {
        auth.admin(request);
        Optional<TenantId> tenant = request.queryParameter("tenant").flatMap(UsersResource::tenant);
        int limit = request.queryParameter("limit").map(DevicesResource::limit).orElse(DEFAULT_LIMIT);
        return JsonAnswers.json(200, new DeviceList(registry.list(tenant, limit).stream().map(DeviceView::of).toList()));
    }

    private ApiResponse register(ApiRequest request) {
        Caller caller = auth.admin(request);
        NewDevice body = RequestBodies.json(request, NewDevice.class);
        DeviceGuid guid = guid(JsonAnswers.required(body.guid(), "guid", 36));
        TenantId tenant = UsersResource.tenant(JsonAnswers.required(body.tenant(), "tenant", 63)).orElseThrow();
        String ciraUsername = body.ciraUsername() == null ? Device.defaultCiraUsername(guid) : body.ciraUsername();
        Device device;
        try {
            device = new Device(guid, tenant, ciraUsername, Optional.ofNullable(body.hostname()),
                    body.tags() == null ? List.of() : body.tags(), clock.instant());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiProblem.badRequest(e instanceof NullPointerException ? "field 'tags' must not hold null" : e.getMessage());
        }
        Secret cira = Passwords.amtPassword();
        Secret admin = Passwords.amtPassword();
        try {
            if (!enrollment.register(guid, tenant, ciraUsername, device.hostname(), device.tags(), cira, admin,
                    caller.actor())) {
                throw new ApiProblem(409, "device " + guid.value() + " is already registered");
            }
            return JsonAnswers.json(201, new Registered(DeviceView.of(registry.find(guid).orElse(device)),
                    new Credentials(ciraUsername, new String(cira.revealChars()), new String(admin.revealChars()))));
        } finally {
            cira.destroy();
            admin.destroy();
        }
    }

    private ApiResponse remove(ApiRequest request) {
        Caller caller = auth.admin(request);
        DeviceGuid guid = guid(request.pathParameter("guid"));
        if (!enrollment.remove(guid, caller.actor())) {
            throw new ApiProblem(404, "no device " + guid.value());
        }
        return ApiResponse.status(204);
    }

    private static DeviceGuid guid(String value) {
        try {
            return new DeviceGuid(value.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("guid: " + e.getMessage());
        }
    }

    private static int limit(String value) {
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiProblem.badRequest("query parameter 'limit' must be 1 to " + MAX_LIMIT);
    }
}
