package org.amtbus.wsman.message;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Builds the content of a method's {@code <h:M_INPUT>} element, parameters in the order they are added:
 * scalar values ({@code <h:Name>escaped</h:Name>}) and endpoint references. Every value and selector is
 * escaped; parameter names must be XML names. Not thread-safe; one builder per request.
 */
public final class MethodInput {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private final StringBuilder xml = new StringBuilder();

    private MethodInput() {
    }

    public static MethodInput create() {
        return new MethodInput();
    }

    public MethodInput value(String name, String value) {
        xml.append("<h:").append(checked(name)).append('>').append(XmlText.escape(value)).append("</h:").append(name).append('>');
        return this;
    }

    public MethodInput value(String name, long value) {
        return value(name, Long.toString(value));
    }

    public MethodInput value(String name, boolean value) {
        return value(name, Boolean.toString(value));
    }

    /** An endpoint reference parameter: anonymous address, resource URI and selectors. */
    public MethodInput reference(String name, String resourceUri, Selector... selectors) {
        xml.append("<h:").append(checked(name)).append('>')
                .append(WsmanRequests.reference(XmlText.escape(resourceUri), List.of(selectors)))
                .append("</h:").append(name).append('>');
        return this;
    }

    public String toXml() {
        return xml.toString();
    }

    /** Never the content: parameters may be secrets. */
    @Override
    public String toString() {
        return "MethodInput[" + xml.length() + " chars]";
    }

    private static String checked(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("parameter name must be an XML name");
        }
        return name;
    }
}
