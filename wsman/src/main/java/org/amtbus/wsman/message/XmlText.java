package org.amtbus.wsman.message;

/** Escaping for text and attribute values written by hand-built envelopes. */
public final class XmlText {
    private XmlText() {
    }

    public static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        throw new IllegalArgumentException("control character not allowed in XML");
                    }
                    sb.append(c);
                }
            }
        }
        return sb.toString();
    }
}
