package org.amtbus.wsman.message;

import java.util.Map;

/**
 * Writes a parsed instance ({@link XmlElement}, e.g. a pulled association with its endpoint references)
 * back as body XML for a Put. Elements in the instance's class namespace get prefix {@code h} (declared on
 * the root), addressing {@code a} and wsman {@code w} (declared on the request Envelope); any other
 * namespace is declared where it is used. Every text and attribute value is escaped; attributes keep their
 * local names only, which is all WS-Man instances use ({@code Selector Name}).
 */
public final class InstanceXml {
    private InstanceXml() {
    }

    /** The instance as {@code <h:Class xmlns:h="classNamespace">...</h:Class>}. */
    public static String write(XmlElement instance, String classNamespace) {
        StringBuilder sb = new StringBuilder(512);
        write(sb, instance, classNamespace, true);
        return sb.toString();
    }

    private static void write(StringBuilder sb, XmlElement e, String classNamespace, boolean root) {
        String prefix;
        String declaration = "";
        if (e.namespace().equals(classNamespace)) {
            prefix = "h:";
            if (root) {
                declaration = " xmlns:h=\"" + XmlText.escape(classNamespace) + "\"";
            }
        } else if (e.namespace().equals(Wsman.NS_ADDRESSING)) {
            prefix = "a:";
        } else if (e.namespace().equals(Wsman.NS_WSMAN)) {
            prefix = "w:";
        } else {
            prefix = "";
            declaration = " xmlns=\"" + XmlText.escape(e.namespace()) + "\"";
        }
        String name = prefix + checkedName(e.name());
        sb.append('<').append(name).append(declaration);
        for (Map.Entry<String, String> a : e.attributes().entrySet()) {
            sb.append(' ').append(checkedName(a.getKey())).append("=\"").append(XmlText.escape(a.getValue())).append('"');
        }
        sb.append('>');
        if (e.children().isEmpty()) {
            sb.append(XmlText.escape(e.text()));
        }
        for (XmlElement c : e.children()) {
            write(sb, c, classNamespace, false);
        }
        sb.append("</").append(name).append('>');
    }

    private static String checkedName(String name) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_.-]{0,127}")) {
            throw new IllegalArgumentException("not an XML name");
        }
        return name;
    }
}
