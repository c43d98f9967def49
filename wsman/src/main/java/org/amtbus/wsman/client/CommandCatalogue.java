package org.amtbus.wsman.client;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.amtbus.schemas.model.CommandAction;
import org.amtbus.wsman.message.Wsman;
import org.amtbus.wsman.message.WsmanEnvelope;
import org.amtbus.wsman.message.WsmanRequest;
import org.amtbus.wsman.message.WsmanRequests;
import org.amtbus.wsman.message.XmlElement;

/**
 * The WS-Man behind each v1 catalogue action, and the small output map each one yields. Power changes use
 * {@code RequestPowerStateChange}; the BIOS variants first set {@code AMT_BootSettingData.BIOSSetup=true}
 * (Get then Put), make Boot Configuration 0 the next single-use configuration and clear the boot order, as
 * Open AMT's MPS does. Any step that fails stops the sequence. Blocking, like {@link WsmanClient}.
 */
public final class CommandCatalogue {
    /** Role 1 = IsNextSingleUse. */
    static final int ROLE_NEXT_SINGLE_USE = 1;

    private static final Map<CommandAction, Integer> POWER_STATE_FOR = Map.of(
            CommandAction.POWER_ON, PowerStates.ON,
            CommandAction.POWER_OFF, PowerStates.OFF_SOFT_GRACEFUL,
            CommandAction.POWER_OFF_HARD, PowerStates.OFF_SOFT,
            CommandAction.POWER_RESET, PowerStates.MASTER_BUS_RESET,
            CommandAction.POWER_CYCLE, PowerStates.POWER_CYCLE_OFF_SOFT,
            CommandAction.POWER_BIOS, PowerStates.ON,
            CommandAction.POWER_RESET_BIOS, PowerStates.MASTER_BUS_RESET);

    private final WsmanClient client;
    private final WsmanRequests requests;

    public CommandCatalogue(WsmanClient client, WsmanRequests requests) {
        this.client = Objects.requireNonNull(client, "client");
        this.requests = Objects.requireNonNull(requests, "requests");
    }

    /** The DMTF PowerState a power action requests, if it is one. */
    public static Optional<Integer> powerStateFor(CommandAction action) {
        return Optional.ofNullable(POWER_STATE_FOR.get(action));
    }

    public CommandOutcome execute(CommandAction action) {
        try {
            return switch (action) {
                case POWER_ON, POWER_OFF, POWER_OFF_HARD, POWER_RESET, POWER_CYCLE -> powerChange(POWER_STATE_FOR.get(action));
                case POWER_BIOS, POWER_RESET_BIOS -> {
                    prepareBiosBoot();
                    yield powerChange(POWER_STATE_FOR.get(action));
                }
                case POWER_STATE -> powerState();
                case AMT_INFO -> amtInfo();
                case AMT_SETTINGS -> settings();
            };
        } catch (StepFailed e) {
            return e.failed;
        }
    }

    private CommandOutcome powerChange(int state) throws StepFailed {
        WsmanEnvelope env = call(requests.requestPowerStateChange(state));
        int rv = returnValue(env, Wsman.METHOD_REQUEST_POWER_STATE_CHANGE);
        if (rv != 0) {
            return new CommandOutcome.Failed(FailureKind.DEVICE_REFUSED,
                    "RequestPowerStateChange(" + state + ") returned " + rv + " (" + powerReturnText(rv) + ")");
        }
        return new CommandOutcome.Succeeded(Map.of("returnValue", 0, "requestedPowerState", state));
    }

    private void prepareBiosBoot() throws StepFailed {
        WsmanEnvelope current = call(requests.get(Wsman.BOOT_SETTING_DATA));
        XmlElement data = current.body().child("AMT_BootSettingData")
                .orElseThrow(() -> protocol("Get AMT_BootSettingData returned no instance"));
        List<Map.Entry<String, String>> props = new ArrayList<>();
        for (XmlElement p : data.children()) {
            if (!p.children().isEmpty()) {
                continue;
            }
            String value = switch (p.name()) {
                case "BIOSSetup" -> "true";
                case "BIOSPause", "UseIDER", "UseSOL", "UseSafeMode", "ReflashBIOS", "SecureErase",
                     "UserPasswordBypass", "ForcedProgressEvents", "EnforceSecureBoot" -> "false";
                default -> p.text();
            };
            props.add(new AbstractMap.SimpleImmutableEntry<>(p.name(), value));
        }
        if (props.stream().noneMatch(e -> e.getKey().equals("BIOSSetup"))) {
            props.add(new AbstractMap.SimpleImmutableEntry<>("BIOSSetup", "true"));
        }
        call(requests.put(Wsman.BOOT_SETTING_DATA, props));
        int role = returnValue(call(requests.setBootConfigRole(ROLE_NEXT_SINGLE_USE)), Wsman.METHOD_SET_BOOT_CONFIG_ROLE);
        if (role != 0) {
            throw new StepFailed(new CommandOutcome.Failed(FailureKind.DEVICE_REFUSED, "SetBootConfigRole returned " + role));
        }
        int order = returnValue(call(requests.clearBootOrder()), Wsman.METHOD_CHANGE_BOOT_ORDER);
        if (order != 0) {
            throw new StepFailed(new CommandOutcome.Failed(FailureKind.DEVICE_REFUSED, "ChangeBootOrder returned " + order));
        }
    }

    private CommandOutcome powerState() throws StepFailed {
        List<XmlElement> items = enumerate(Wsman.SERVICE_AVAILABLE_TO_ELEMENT);
        XmlElement assoc = items.stream().filter(i -> i.child("PowerState").isPresent()).findFirst()
                .orElseThrow(() -> protocol("no item with a PowerState"));
        int state = integer(assoc.childText("PowerState").orElseThrow(), "PowerState");
        return new CommandOutcome.Succeeded(Map.of("powerState", PowerStates.name(state), "powerStateCode", state));
    }

    private CommandOutcome amtInfo() throws StepFailed {
        Map<String, Object> out = new LinkedHashMap<>();
        String version = enumerate(Wsman.SOFTWARE_IDENTITY).stream()
                .filter(i -> i.childText("InstanceID").orElse("").equals("AMT"))
                .map(i -> i.childText("VersionString").orElse("")).findFirst()
                .orElseThrow(() -> protocol("CIM_SoftwareIdentity has no AMT item"));
        out.put("amtVersion", version);
        String major = version.contains(".") ? version.substring(0, version.indexOf('.')) : version;
        out.put("amtMajor", integer(major, "AMT major version"));

        XmlElement setup = call(requests.get(Wsman.SETUP_AND_CONFIGURATION_SERVICE)).body()
                .child("AMT_SetupAndConfigurationService")
                .orElseThrow(() -> protocol("no AMT_SetupAndConfigurationService instance"));
        int provisioning = integer(setup.childText("ProvisioningState").orElse(""), "ProvisioningState");
        out.put("provisioningState", switch (provisioning) {
            case 0 -> "pre";
            case 1 -> "in";
            case 2 -> "post";
            default -> "unknown";
        });
        setup.childText("ProvisioningMode").ifPresent(m -> out.put("provisioningMode", switch (m) {
            case "1" -> "acm";
            case "4" -> "ccm";
            default -> "unknown";
        }));

        XmlElement hbs = call(requests.get(Wsman.HOST_BASED_SETUP_SERVICE)).body().child("IPS_HostBasedSetupService")
                .orElseThrow(() -> protocol("no IPS_HostBasedSetupService instance"));
        out.put("controlMode", switch (hbs.childText("CurrentControlMode").orElse("")) {
            case "0" -> "none";
            case "1" -> "ccm";
            case "2" -> "acm";
            default -> "unknown";
        });
        return new CommandOutcome.Succeeded(out);
    }

    private CommandOutcome settings() throws StepFailed {
        XmlElement gs = call(requests.get(Wsman.GENERAL_SETTINGS)).body().child("AMT_GeneralSettings")
                .orElseThrow(() -> protocol("no AMT_GeneralSettings instance"));
        Map<String, Object> out = new LinkedHashMap<>();
        gs.childText("DigestRealm").ifPresent(v -> out.put("digestRealm", v));
        gs.childText("HostName").ifPresent(v -> out.put("hostName", v));
        gs.childText("DomainName").ifPresent(v -> out.put("domainName", v));
        gs.childText("HostOSFQDN").ifPresent(v -> out.put("hostOsFqdn", v));
        gs.childText("NetworkInterfaceEnabled").ifPresent(v -> out.put("networkInterfaceEnabled", Boolean.parseBoolean(v)));
        gs.childText("AMTNetworkEnabled").ifPresent(v -> out.put("amtNetworkEnabled", v.equals("1") || v.equals("true")));
        gs.childText("PowerSource").ifPresent(v -> out.put("powerSource", v.equals("0") ? "ac" : v.equals("1") ? "dc" : v));
        return new CommandOutcome.Succeeded(out);
    }

    private List<XmlElement> enumerate(String resourceUri) throws StepFailed {
        WsmanEnvelope e = call(requests.enumerate(resourceUri));
        String context = e.body().path("EnumerateResponse", "EnumerationContext").map(XmlElement::text)
                .filter(s -> !s.isEmpty()).orElseThrow(() -> protocol("EnumerateResponse without EnumerationContext"));
        WsmanEnvelope pulled = call(requests.pull(resourceUri, context));
        return pulled.body().path("PullResponse", "Items").map(XmlElement::children)
                .orElseThrow(() -> protocol("PullResponse without Items"));
    }

    private WsmanEnvelope call(WsmanRequest request) throws StepFailed {
        WsmanResult<WsmanEnvelope> r = client.send(request);
        return switch (r) {
            case WsmanResult.Success<WsmanEnvelope> s -> s.value();
            case WsmanResult.Failure<WsmanEnvelope> f -> throw new StepFailed(new CommandOutcome.Failed(f.kind(), f.reason()));
        };
    }

    private static int returnValue(WsmanEnvelope env, String method) throws StepFailed {
        String text = env.body().path(method + "_OUTPUT", "ReturnValue").map(XmlElement::text)
                .orElseThrow(() -> protocol(method + " answer without ReturnValue"));
        return integer(text, "ReturnValue");
    }

    private static int integer(String text, String what) throws StepFailed {
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(Character::isDigit)) {
            throw protocol(what + " is not a small non-negative integer");
        }
        return Integer.parseInt(text);
    }

    /** CIM ValueMap of RequestPowerStateChange; which table AMT follows is unconfirmed, 0 is success in both. */
    static String powerReturnText(int rv) {
        return switch (rv) {
            case 1 -> "not supported";
            case 2 -> "unknown error, e.g. a transition the current state does not allow";
            case 3 -> "timeout";
            case 4 -> "failed";
            case 5 -> "invalid parameter";
            case 6 -> "in use";
            case 4096 -> "job started";
            case 4097 -> "invalid state transition";
            case 4098 -> "timeout parameter not supported";
            case 4099 -> "busy";
            default -> "unknown code";
        };
    }

    private static StepFailed protocol(String reason) {
        return new StepFailed(new CommandOutcome.Failed(FailureKind.PROTOCOL, reason));
    }

    /** Unwinds a multi-step sequence at the first failed step; never escapes this class. */
    private static final class StepFailed extends Exception {
        private static final long serialVersionUID = 1L;
        final transient CommandOutcome.Failed failed;

        StepFailed(CommandOutcome.Failed failed) {
            super(failed.reason(), null, false, false);
            this.failed = failed;
        }
    }
}
