package org.amtbus.sim.amt;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.amtbus.wsman.digest.DigestVerdict;
import org.amtbus.wsman.digest.DigestVerifier;
import org.amtbus.wsman.digest.Password;
import org.amtbus.wsman.http.HttpHeaders;
import org.amtbus.wsman.http.HttpProtocolException;
import org.amtbus.wsman.http.HttpRequest;
import org.amtbus.wsman.http.HttpRequestParser;
import org.amtbus.wsman.http.HttpResponse;
import org.amtbus.wsman.http.HttpResponseEncoder;
import org.amtbus.wsman.message.Wsman;
import org.amtbus.wsman.message.WsmanEnvelope;
import org.amtbus.wsman.message.WsmanParseException;
import org.amtbus.wsman.message.XmlElement;

/**
 * The AMT web service (port 16992) of one {@link SimulatedDevice}: HTTP request bytes in, HTTP response
 * bytes out, so it can sit behind an APF channel or an in-memory pipe. Like firmware it answers an
 * unauthenticated {@code POST /wsman} with a Digest 401 and {@code Connection: close}, authenticated SOAP
 * with chunked {@code 200} answers (4-digit uppercase hex chunk sizes), and anything it does not serve with
 * a WS-Man SOAP fault (HTTP status {@link #faultStatus}, 500 by default; the real value is unconfirmed).
 * Power commands change the device's state with the return codes AMT gives (2 for a transition the state
 * does not allow). Activation, CIRA configuration and Unprovision are served by {@link ProvisioningMethods};
 * Digest checks the device's current admin credential (rebuilt when activation or SetAdminAclEntryEx
 * changes it), and host-side sessions ({@link #openLocal}) are served unauthenticated in pre-provisioning.
 * Thread-safe: sessions may run on different threads; device state is synchronized.
 */
public final class AmtWebService {
    public static final String USER = "admin";
    public static final int CHUNK_BYTES = 0x200;
    /** Enumeration contexts kept before the oldest is forgotten. */
    public static final int MAX_ENUMERATIONS = 64;
    private static final Set<Integer> SUPPORTED_POWER_STATES = Set.of(2, 4, 5, 7, 8, 10, 11, 12, 14);

    private final SimulatedDevice device;
    private final Clock clock;
    private final RandomGenerator random;
    private final Duration nonceLifetime;
    private final ProvisioningMethods provisioning;
    /** The verifier for the device's current admin credential, rebuilt when it changes. */
    private DigestVerifier verifier;
    private long verifierGeneration = -1;
    /** Refuses everything: used for WRONG_PASSWORD and, in pre-provisioning, for remote sessions. */
    private final DigestVerifier wrongVerifier;
    /** In pre-provisioning, a local session that sends credentials must use the factory password. */
    private final DigestVerifier factoryVerifier;
    private final ResponseDelay delay;
    private final int faultStatus;
    private final HttpResponseEncoder encoder = new HttpResponseEncoder();
    private final AtomicLong messageNumber = new AtomicLong();
    private final AtomicLong contexts = new AtomicLong(0x5E1A);
    private final Set<Misbehaviour> misbehaviours = EnumSet.noneOf(Misbehaviour.class);
    private final Map<String, String> enumerations = new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_ENUMERATIONS;
        }
    };

    /**
     * @param random nonces and the wrong-password switch; pass a {@link java.security.SecureRandom} outside tests
     * @param faultStatus HTTP status of SOAP faults: 400 or 500
     */
    public AmtWebService(SimulatedDevice device, Clock clock, RandomGenerator random, Duration nonceLifetime,
                         ResponseDelay delay, int faultStatus) {
        this.device = Objects.requireNonNull(device, "device");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.nonceLifetime = Objects.requireNonNull(nonceLifetime, "nonceLifetime");
        this.provisioning = new ProvisioningMethods(device, clock);
        this.factoryVerifier = new DigestVerifier(device.realm(), USER, Password.of(SimulatedDevice.FACTORY_ADMIN_PASSWORD),
                clock, random, nonceLifetime);
        byte[] other = new byte[24];
        random.nextBytes(other);
        this.wrongVerifier = new DigestVerifier(device.realm(), USER,
                Password.of(java.util.HexFormat.of().formatHex(other)), clock, random, nonceLifetime);
        this.delay = Objects.requireNonNull(delay, "delay");
        if (faultStatus != 400 && faultStatus != 500) {
            throw new IllegalArgumentException("faultStatus must be 400 or 500");
        }
        this.faultStatus = faultStatus;
    }

    public AmtWebService(SimulatedDevice device, Clock clock, RandomGenerator random) {
        this(device, clock, random, DigestVerifier.DEFAULT_NONCE_LIFETIME, Runnable::run, 500);
    }

    public SimulatedDevice device() {
        return device;
    }

    public synchronized void misbehave(Misbehaviour... switches) {
        misbehaviours.addAll(Arrays.asList(switches));
    }

    public synchronized void behave() {
        misbehaviours.clear();
    }

    private synchronized boolean is(Misbehaviour m) {
        return misbehaviours.contains(m);
    }

    /** A new network connection (CIRA channel or LAN) whose responses go to {@code sink}. */
    public Session open(ByteSink sink) {
        return new Session(Objects.requireNonNull(sink, "sink"), false);
    }

    /**
     * A new local connection from the host OS, as the agent (Open AMT's rpc) reaches AMT through LME/LMS.
     * In pre-provisioning firmware serves host-based setup locally without an admin account, so a local
     * session serves requests without an Authorization header then; one that does carry Digest credentials
     * must use the factory password {@code admin}. Once activated, local sessions need Digest with the admin
     * password like any other. Network sessions in pre-provisioning are always refused with 401.
     */
    public Session openLocal(ByteSink sink) {
        return new Session(Objects.requireNonNull(sink, "sink"), true);
    }

    /** The verifier for the current admin credential; the refusing one when there is none. */
    private synchronized DigestVerifier currentVerifier() {
        synchronized (device) {
            long generation = device.credentialGeneration();
            if (generation != verifierGeneration) {
                Password ha1 = device.adminHa1();
                verifier = ha1 == null ? wrongVerifier
                        : DigestVerifier.forHa1(device.realm(), USER, ha1, clock, random, nonceLifetime);
                verifierGeneration = generation;
            }
            return verifier;
        }
    }

    /** One connection. Bytes may arrive in any pieces; one thread at a time. */
    public final class Session {
        private final ByteSink sink;
        private final boolean local;
        private final HttpRequestParser parser = new HttpRequestParser();
        private boolean closed;

        private Session(ByteSink sink, boolean local) {
            this.sink = sink;
            this.local = local;
        }

        /** Whether this is a host-side (LME) session. */
        public boolean local() {
            return local;
        }

        public synchronized void receive(byte[] data) {
            if (closed) {
                return;
            }
            try {
                Optional<HttpRequest> request = parser.feed(data);
                while (request.isPresent() && !closed) {
                    handle(request.get());
                    request = closed ? Optional.empty() : parser.feed(new byte[0]);
                }
            } catch (HttpProtocolException e) {
                write(encoder.encode(new HttpResponse(400, "Bad Request",
                        HttpHeaders.of("Connection", "close", "Content-Type", "text/plain"),
                        e.getMessage().getBytes(StandardCharsets.US_ASCII))), true);
            }
        }

        /** The peer closed its side. */
        public synchronized void closed() {
            closed = true;
        }

        private void handle(HttpRequest request) {
            if (!request.method().equals("POST") || !request.target().equals("/wsman")) {
                write(encoder.encode(new HttpResponse(404, "Not Found", HttpHeaders.of("Connection", "close"), new byte[0])), true);
                return;
            }
            String authorization = request.headers().first("Authorization").orElse(null);
            boolean preProvisioning = device.controlMode() == SimulatedDevice.ControlMode.NONE;
            boolean unauthenticatedLocalSetup = local && preProvisioning && authorization == null;
            if (!unauthenticatedLocalSetup) {
                DigestVerifier v = is(Misbehaviour.WRONG_PASSWORD) ? wrongVerifier
                        : local && preProvisioning ? factoryVerifier : currentVerifier();
                DigestVerdict verdict = v.verify("POST", request.target(), authorization);
                if (verdict instanceof DigestVerdict.Challenge c) {
                    write(unauthorized(v.challenge(c.stale())), true);
                    return;
                }
            }
            if (is(Misbehaviour.GARBAGE)) {
                write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZ\u0000\r\n".getBytes(StandardCharsets.ISO_8859_1), false);
                return;
            }
            Answer answer = answer(request.body());
            HttpHeaders headers = HttpHeaders.of("Date", "Thu, 01 Jan 2026 00:00:00 GMT", "Server", serverHeader(),
                    "X-Frame-Options", "DENY", "Content-Type", "application/soap+xml; charset=UTF-8");
            byte[] bytes = encoder.encodeChunked(new HttpResponse(answer.status(), answer.status() == 200 ? "OK"
                    : answer.status() == 400 ? "Bad Request" : "Internal Server Error", headers,
                    answer.xml().getBytes(StandardCharsets.UTF_8)), CHUNK_BYTES);
            if (is(Misbehaviour.VANISH)) {
                write(Arrays.copyOf(bytes, bytes.length / 2), true);
                return;
            }
            write(bytes, false);
        }

        private void write(byte[] bytes, boolean thenClose) {
            if (thenClose) {
                closed = true;
            }
            Runnable w = () -> {
                sink.write(bytes);
                if (thenClose) {
                    sink.close();
                }
            };
            if (is(Misbehaviour.SLOW)) {
                delay.schedule(w);
            } else {
                w.run();
            }
        }
    }

    private String serverHeader() {
        return "Intel(R) Active Management Technology " + device.amtVersion();
    }

    private byte[] unauthorized(String challenge) {
        String html = "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\">\n<html><head><title>401 Unauthorized"
                + "</title></head><body><h1>401 Unauthorized</h1><p>Log on with the device's administrator account.</p></body></html>";
        return encoder.encode(new HttpResponse(401, "Unauthorized", HttpHeaders.of(
                "WWW-Authenticate", challenge, "Content-Type", "text/html", "Server", serverHeader(), "Connection", "close"),
                html.getBytes(StandardCharsets.US_ASCII)));
    }

    record Answer(int status, String xml) {
    }

    private Answer answer(byte[] body) {
        WsmanEnvelope request;
        try {
            request = WsmanEnvelope.parse(body);
        } catch (WsmanParseException e) {
            return fault("", "b:InvalidMessageInformationHeader", "The request is not a readable WS-Management message.");
        }
        String uri = request.resourceUri();
        String action = request.action();
        String id = request.messageId();
        String cls = uri.isEmpty() ? "" : Wsman.className(uri);
        if (action.equals(Wsman.ACTION_GET)) {
            Optional<Map<String, Object>> instance = instance(uri);
            return instance.map(p -> ok(uri, null, action, id, AmtXml.instance("g", cls, p)))
                    .orElseGet(() -> unknown(id, uri));
        }
        if (action.equals(Wsman.ACTION_ENUMERATE)) {
            if (items(uri).isEmpty() && provisioning.items(uri).isEmpty()) {
                return unknown(id, uri);
            }
            String context;
            synchronized (enumerations) {
                context = String.format(java.util.Locale.ROOT, "%08X-0000-0000-0000-000000000000", contexts.getAndIncrement());
                enumerations.put(context, uri);
            }
            return ok(Wsman.NS_ENUMERATION, null, action, id, "<g:EnumerateResponse><g:EnumerationContext>" + context
                    + "</g:EnumerationContext></g:EnumerateResponse>", uri);
        }
        if (action.equals(Wsman.ACTION_PULL)) {
            String context = request.body().path("Pull", "EnumerationContext").map(XmlElement::text).orElse("");
            String enumerated;
            synchronized (enumerations) {
                enumerated = enumerations.remove(context);
            }
            if (enumerated == null || !enumerated.equals(uri)) {
                return fault(id, "c:InvalidEnumerationContext", "The enumeration context is not valid.");
            }
            String itemsNs = uri.equals(Wsman.SERVICE_AVAILABLE_TO_ELEMENT) ? Wsman.ASSOCIATED_POWER_MANAGEMENT_SERVICE : uri;
            StringBuilder sb = new StringBuilder("<g:PullResponse><g:Items>");
            items(uri).forEach(sb::append);
            sb.append("</g:Items><g:EndOfSequence></g:EndOfSequence></g:PullResponse>");
            return ok(Wsman.NS_ENUMERATION, itemsNs, action, id, sb.toString(), uri);
        }
        if (action.equals(Wsman.ACTION_PUT)) {
            Optional<ProvisioningMethods.PutResult> put = provisioning.put(uri, request.body());
            if (put.isPresent()) {
                ProvisioningMethods.PutResult r = put.get();
                return r.instance() != null ? ok(uri, null, action, id, AmtXml.instance("g", cls, r.instance()))
                        : fault(id, r.faultSubcode(), r.faultReason());
            }
        }
        if (!uri.isEmpty() && action.startsWith(uri + "/")) {
            String method = action.substring(uri.length() + 1);
            Optional<ProvisioningMethods.Reply> reply = provisioning.invoke(uri, method,
                    request.body().child(method + "_INPUT").orElse(new XmlElement(uri, method + "_INPUT", Map.of(), "", List.of())));
            if (reply.isPresent()) {
                return ok(uri, null, action, id, "<g:" + method + "_OUTPUT><g:ReturnValue>" + reply.get().returnValue()
                        + "</g:ReturnValue>" + reply.get().outputXml() + "</g:" + method + "_OUTPUT>");
            }
        }
        if (action.equals(Wsman.ACTION_PUT) && uri.equals(Wsman.BOOT_SETTING_DATA)) {
            boolean bios = request.body().path("AMT_BootSettingData", "BIOSSetup").map(e -> e.text().equals("true")).orElse(false);
            device.requestBiosSetup(bios);
            return ok(uri, null, action, id, AmtXml.instance("g", cls, instance(uri).orElseThrow()));
        }
        if (action.equals(Wsman.POWER_MANAGEMENT_SERVICE + "/" + Wsman.METHOD_REQUEST_POWER_STATE_CHANGE)
                && uri.equals(Wsman.POWER_MANAGEMENT_SERVICE)) {
            Optional<XmlElement> input = request.body().child("RequestPowerStateChange_INPUT");
            String requested = input.flatMap(i -> i.childText("PowerState")).orElse("");
            boolean managedSystem = input.flatMap(i -> i.find("SelectorSet")).stream()
                    .flatMap(s -> s.children("Selector").stream())
                    .anyMatch(s -> "Name".equals(s.attributes().get("Name")) && s.text().equals(Wsman.MANAGED_SYSTEM));
            int rv = !managedSystem || !requested.matches("\\d{1,5}") ? 5 : changePower(Integer.parseInt(requested));
            return returnValue(uri, action, id, Wsman.METHOD_REQUEST_POWER_STATE_CHANGE, rv);
        }
        if (action.equals(Wsman.BOOT_SERVICE + "/" + Wsman.METHOD_SET_BOOT_CONFIG_ROLE) && uri.equals(Wsman.BOOT_SERVICE)) {
            Optional<XmlElement> input = request.body().child("SetBootConfigRole_INPUT");
            boolean config0 = input.flatMap(i -> i.find("Selector")).map(s -> s.text().equals(Wsman.BOOT_CONFIGURATION_0)).orElse(false);
            String role = input.flatMap(i -> i.childText("Role")).orElse("");
            int rv = !config0 ? 4 : role.equals("1") ? 0 : 5;
            if (rv == 0) {
                device.setNextBootRole();
            }
            return returnValue(uri, action, id, Wsman.METHOD_SET_BOOT_CONFIG_ROLE, rv);
        }
        if (action.equals(Wsman.BOOT_CONFIG_SETTING + "/" + Wsman.METHOD_CHANGE_BOOT_ORDER) && uri.equals(Wsman.BOOT_CONFIG_SETTING)) {
            return returnValue(uri, action, id, Wsman.METHOD_CHANGE_BOOT_ORDER, 0);
        }
        if (instance(uri).isPresent() || !items(uri).isEmpty()) {
            return fault(id, "a:ActionNotSupported", "The action is not supported for this resource.");
        }
        return unknown(id, uri);
    }

    /** Applies a RequestPowerStateChange and returns its ReturnValue. */
    private int changePower(int requested) {
        if (!SUPPORTED_POWER_STATES.contains(requested) || (requested > 9 && requested != 10 && device.amtMajor() <= 9)) {
            return 1;
        }
        synchronized (device) {
            int current = device.powerState();
            if (!availableFrom(current).contains(requested)) {
                return 2;
            }
            switch (requested) {
                case 2, 5, 10, 14 -> device.changePower(2, true);
                case 8, 12 -> device.changePower(8, false);
                case 4, 7 -> device.changePower(requested, false);
                default -> {
                    // 11 (NMI) changes no power state
                }
            }
            return 0;
        }
    }

    /** AvailableRequestedPowerStates for a state, as captured from AMT. */
    static List<Integer> availableFrom(int state) {
        return switch (state) {
            case 2 -> List.of(10, 8, 5, 11, 4, 7, 14, 12);
            case 4, 7 -> List.of(8, 2, 5);
            default -> List.of(2);
        };
    }

    private Optional<Map<String, Object>> instance(String uri) {
        Map<String, Object> p = new LinkedHashMap<>();
        switch (uri) {
            case Wsman.GENERAL_SETTINGS -> {
                p.put("AMTNetworkEnabled", 1);
                p.put("DDNSPeriodicUpdateInterval", 1440);
                p.put("DDNSTTL", 900);
                p.put("DDNSUpdateByDHCPServerEnabled", true);
                p.put("DDNSUpdateEnabled", false);
                p.put("DHCPv6ConfigurationTimeout", 0);
                p.put("DigestRealm", device.realm());
                p.put("DomainName", device.domainName());
                p.put("ElementName", "Intel(r) AMT: General Settings");
                p.put("HostName", device.hostName());
                p.put("HostOSFQDN", device.hostName() + "." + device.domainName());
                p.put("IdleWakeTimeout", 65535);
                p.put("InstanceID", "Intel(r) AMT: General Settings");
                p.put("NetworkInterfaceEnabled", true);
                p.put("PingResponseEnabled", true);
                p.put("PowerSource", 0);
                p.put("PreferredAddressFamily", 0);
                p.put("PresenceNotificationInterval", 0);
                p.put("PrivacyLevel", 0);
                p.put("RmcpPingResponseEnabled", true);
                p.put("SharedFQDN", true);
                p.put("ThunderboltDockEnabled", 0);
                p.put("WsmanOnlyMode", false);
            }
            case Wsman.SETUP_AND_CONFIGURATION_SERVICE -> {
                p.put("CreationClassName", "AMT_SetupAndConfigurationService");
                p.put("ElementName", "Intel(r) AMT Setup and Configuration Service");
                p.put("EnabledState", 5);
                p.put("Name", "Intel(r) AMT Setup and Configuration Service");
                p.put("PasswordModel", 1);
                p.put("ProvisioningMode", device.controlMode() == SimulatedDevice.ControlMode.CCM ? 4 : 1);
                p.put("ProvisioningServerOTP", "");
                p.put("ProvisioningState", device.provisioningState());
                p.put("RequestedState", 12);
                p.put("SystemCreationClassName", "CIM_ComputerSystem");
                p.put("SystemName", "Intel(r) AMT");
                p.put("ZeroTouchConfigurationEnabled", true);
            }
            case Wsman.HOST_BASED_SETUP_SERVICE -> {
                p.put("AllowedControlModes", List.of(2, 1));
                synchronized (device) {
                    p.put("CertChainStatus", device.chain().status());
                    p.put("ConfigurationNonce", java.util.Base64.getEncoder().encodeToString(device.configurationNonce()));
                }
                p.put("CreationClassName", "IPS_HostBasedSetupService");
                p.put("CurrentControlMode", device.controlMode().value);
                p.put("ElementName", "Intel(r) AMT Host Based Setup Service");
                p.put("Name", "Intel(r) AMT Host Based Setup Service");
                p.put("SystemCreationClassName", "CIM_ComputerSystem");
                p.put("SystemName", "Intel(r) AMT");
            }
            case Wsman.BOOT_SETTING_DATA -> {
                p.put("BIOSLastStatus", List.of(2, 0));
                p.put("BIOSPause", false);
                p.put("BIOSSetup", device.biosSetupRequested());
                p.put("BootMediaIndex", 0);
                p.put("ConfigurationDataReset", false);
                p.put("ElementName", "Intel(r) AMT Boot Configuration Settings");
                p.put("EnforceSecureBoot", false);
                p.put("FirmwareVerbosity", 0);
                p.put("ForcedProgressEvents", false);
                p.put("IDERBootDevice", 0);
                p.put("InstanceID", "Intel(r) AMT:BootSettingData 0");
                p.put("LockKeyboard", false);
                p.put("LockPowerButton", false);
                p.put("LockResetButton", false);
                p.put("LockSleepButton", false);
                p.put("OwningEntity", "Intel(r) AMT");
                p.put("ReflashBIOS", false);
                p.put("SecureErase", false);
                p.put("UseIDER", false);
                p.put("UseSOL", false);
                p.put("UseSafeMode", false);
                p.put("UserPasswordBypass", false);
            }
            case Wsman.ASSOCIATED_POWER_MANAGEMENT_SERVICE -> p.putAll(powerAssociation());
            default -> {
                return provisioning.instance(uri);
            }
        }
        return Optional.of(p);
    }

    private Map<String, Object> powerAssociation() {
        int state = device.powerState();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("AvailableRequestedPowerStates", availableFrom(state));
        p.put("PowerState", state);
        p.put("ServiceProvided", AmtXml.reference(Wsman.POWER_MANAGEMENT_SERVICE, Map.of(
                "CreationClassName", "CIM_PowerManagementService", "Name", "Intel(r) AMT Power Management Service",
                "SystemCreationClassName", "CIM_ComputerSystem", "SystemName", "Intel(r) AMT")));
        p.put("UserOfService", AmtXml.reference(Wsman.COMPUTER_SYSTEM, Map.of(
                "CreationClassName", "CIM_ComputerSystem", "Name", Wsman.MANAGED_SYSTEM)));
        return p;
    }

    /** Enumeration items as XML, in prefix {@code h}; empty when the class is not enumerable here. */
    private List<String> items(String uri) {
        return switch (uri) {
            case Wsman.SERVICE_AVAILABLE_TO_ELEMENT, Wsman.ASSOCIATED_POWER_MANAGEMENT_SERVICE ->
                    List.of(AmtXml.instance("h", "CIM_AssociatedPowerManagementService", powerAssociation()));
            case Wsman.SOFTWARE_IDENTITY -> {
                String[][] ids = {{"Flash", device.amtVersion()}, {"Netstack", device.amtVersion()},
                        {"AMTApps", device.amtVersion()}, {"AMT", device.amtVersion()}, {"Sku", "16392"},
                        {"VendorID", "8086"}, {"Build Number", "1234"}, {"Recovery Version", device.amtVersion()},
                        {"Recovery Build Num", "1234"}, {"Legacy Mode", "False"},
                        {"AMT FW Core Version", device.amtVersion()}};
                yield Arrays.stream(ids).map(i -> {
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put("InstanceID", i[0]);
                    p.put("IsEntity", true);
                    p.put("VersionString", i[1]);
                    return AmtXml.instance("h", "CIM_SoftwareIdentity", p);
                }).toList();
            }
            default -> provisioning.items(uri).orElse(List.of());
        };
    }

    private Answer ok(String gNamespace, String hNamespace, String action, String relatesTo, String body) {
        return ok(gNamespace, hNamespace, action, relatesTo, body, gNamespace);
    }

    private Answer ok(String gNamespace, String hNamespace, String action, String relatesTo, String body, String resourceUri) {
        return new Answer(200, AmtXml.envelope(gNamespace, hNamespace, action + "Response", relatesTo,
                messageNumber.incrementAndGet(), resourceUri, body));
    }

    private Answer returnValue(String uri, String action, String id, String method, int rv) {
        return ok(uri, null, action, id, "<g:" + method + "_OUTPUT><g:ReturnValue>" + rv + "</g:ReturnValue></g:" + method + "_OUTPUT>");
    }

    private Answer unknown(String id, String uri) {
        return fault(id, "b:DestinationUnreachable", "No route can be determined to reach the destination role defined by the WS-Addressing To.");
    }

    private Answer fault(String relatesTo, String subcode, String reason) {
        return new Answer(faultStatus, AmtXml.fault(relatesTo, messageNumber.incrementAndGet(), subcode, reason));
    }

    @Override
    public String toString() {
        return "AmtWebService[" + device + "]";
    }
}
