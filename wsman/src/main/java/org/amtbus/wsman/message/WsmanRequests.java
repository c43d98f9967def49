package org.amtbus.wsman.message;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Builds the requests amtbus sends. Message ids come from the given supplier ({@code uuid:<random>} by
 * default). Thread-safe if the supplier is.
 */
public final class WsmanRequests {
    private final Supplier<String> messageIds;

    public WsmanRequests() {
        this(() -> "uuid:" + UUID.randomUUID());
    }

    public WsmanRequests(Supplier<String> messageIds) {
        this.messageIds = Objects.requireNonNull(messageIds, "messageIds");
    }

    public WsmanRequest get(String resourceUri, Selector... selectors) {
        return new WsmanRequest(Wsman.ACTION_GET, resourceUri, messageIds.get(), List.of(selectors), "");
    }

    public WsmanRequest enumerate(String resourceUri) {
        return new WsmanRequest(Wsman.ACTION_ENUMERATE, resourceUri, messageIds.get(), List.of(),
                "<Enumerate xmlns=\"" + Wsman.NS_ENUMERATION + "\" />");
    }

    public WsmanRequest pull(String resourceUri, String enumerationContext) {
        return new WsmanRequest(Wsman.ACTION_PULL, resourceUri, messageIds.get(), List.of(),
                "<Pull xmlns=\"" + Wsman.NS_ENUMERATION + "\"><EnumerationContext>" + XmlText.escape(enumerationContext)
                        + "</EnumerationContext><MaxElements>" + Wsman.PULL_MAX_ELEMENTS + "</MaxElements><MaxCharacters>"
                        + Wsman.PULL_MAX_CHARACTERS + "</MaxCharacters></Pull>");
    }

    /** A method call: action {@code <resourceUri>/<method>}, body {@code <h:<method>_INPUT>}. */
    public WsmanRequest invoke(String resourceUri, String method, String inputXml, Selector... selectors) {
        return new WsmanRequest(resourceUri + "/" + method, resourceUri, messageIds.get(), List.of(selectors),
                "<h:" + method + "_INPUT xmlns:h=\"" + resourceUri + "\">" + inputXml + "</h:" + method + "_INPUT>");
    }

    /** {@code CIM_PowerManagementService.RequestPowerStateChange(PowerState, ManagedElement=ManagedSystem)}. */
    public WsmanRequest requestPowerStateChange(int powerState) {
        String input = "<h:PowerState>" + powerState + "</h:PowerState><h:ManagedElement>"
                + reference(Wsman.COMPUTER_SYSTEM, List.of(new Selector("CreationClassName", "CIM_ComputerSystem"),
                new Selector("Name", Wsman.MANAGED_SYSTEM))) + "</h:ManagedElement>";
        return invoke(Wsman.POWER_MANAGEMENT_SERVICE, Wsman.METHOD_REQUEST_POWER_STATE_CHANGE, input);
    }

    /** {@code CIM_BootService.SetBootConfigRole(Boot Configuration 0, role)}; role 1 = IsNextSingleUse. */
    public WsmanRequest setBootConfigRole(int role) {
        String input = "<h:BootConfigSetting>" + reference(Wsman.BOOT_CONFIG_SETTING,
                List.of(new Selector("InstanceID", Wsman.BOOT_CONFIGURATION_0))) + "</h:BootConfigSetting><h:Role>"
                + role + "</h:Role>";
        return invoke(Wsman.BOOT_SERVICE, Wsman.METHOD_SET_BOOT_CONFIG_ROLE, input);
    }

    /** {@code CIM_BootConfigSetting.ChangeBootOrder()} with empty input: clears the boot order. */
    public WsmanRequest clearBootOrder() {
        return invoke(Wsman.BOOT_CONFIG_SETTING, Wsman.METHOD_CHANGE_BOOT_ORDER, "",
                new Selector("InstanceID", Wsman.BOOT_CONFIGURATION_0));
    }

    /**
     * Put of a whole instance (e.g. {@code AMT_BootSettingData}, no header selector): its properties in
     * order, leaf values only.
     */
    public WsmanRequest put(String resourceUri, List<Map.Entry<String, String>> properties) {
        String cls = Wsman.className(resourceUri);
        StringBuilder sb = new StringBuilder("<h:").append(cls).append(" xmlns:h=\"").append(resourceUri).append("\">");
        for (Map.Entry<String, String> p : properties) {
            sb.append("<h:").append(p.getKey()).append('>').append(XmlText.escape(p.getValue()))
                    .append("</h:").append(p.getKey()).append('>');
        }
        sb.append("</h:").append(cls).append('>');
        return new WsmanRequest(Wsman.ACTION_PUT, resourceUri, messageIds.get(), List.of(), sb.toString());
    }

    /**
     * Put of a whole instance as it was read (Get or Pull), nested endpoint references included, e.g.
     * {@code AMT_RemoteAccessPolicyAppliesToMPS}; see {@link InstanceXml}.
     */
    public WsmanRequest put(String resourceUri, XmlElement instance, Selector... selectors) {
        return new WsmanRequest(Wsman.ACTION_PUT, resourceUri, messageIds.get(), List.of(selectors),
                InstanceXml.write(instance, resourceUri));
    }

    /** An endpoint reference to an instance: anonymous address, resource URI and selectors. */
    static String reference(String resourceUri, List<Selector> selectors) {
        StringBuilder sb = new StringBuilder("<a:Address>").append(Wsman.ANONYMOUS).append("</a:Address>")
                .append("<a:ReferenceParameters><w:ResourceURI>").append(resourceUri).append("</w:ResourceURI><w:SelectorSet>");
        for (Selector s : selectors) {
            sb.append("<w:Selector Name=\"").append(XmlText.escape(s.name())).append("\">")
                    .append(XmlText.escape(s.value())).append("</w:Selector>");
        }
        return sb.append("</w:SelectorSet></a:ReferenceParameters>").toString();
    }
}
