package org.amtbus.wsman.digest;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.amtbus.wsman.http.HttpProtocolException;

/**
 * Parses the {@code Digest k=v, k="v"} parameter list of WWW-Authenticate and Authorization. Tolerates
 * AMT's irregular spacing around commas; refuses duplicates, unterminated quotes and over-long input.
 */
final class AuthParams {
    static final int MAX_HEADER_CHARS = 4096;
    static final int MAX_PARAMS = 16;

    private AuthParams() {
    }

    /** The parameters after the {@code Digest} scheme, names lower-cased. */
    static Map<String, String> parseDigest(String header) throws HttpProtocolException {
        if (header == null || header.length() > MAX_HEADER_CHARS) {
            throw new HttpProtocolException("missing or over-long Digest header");
        }
        String h = header.strip();
        if (h.length() < 7 || !h.substring(0, 6).equalsIgnoreCase("Digest") || (h.charAt(6) != ' ' && h.charAt(6) != '\t')) {
            throw new HttpProtocolException("not a Digest header");
        }
        Map<String, String> params = new LinkedHashMap<>();
        int i = 7;
        int n = h.length();
        while (i < n) {
            while (i < n && (h.charAt(i) == ' ' || h.charAt(i) == '\t' || h.charAt(i) == ',')) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int nameStart = i;
            while (i < n && h.charAt(i) != '=' && h.charAt(i) != ',' && h.charAt(i) != ' ') {
                i++;
            }
            String name = h.substring(nameStart, i).toLowerCase(Locale.ROOT);
            while (i < n && h.charAt(i) == ' ') {
                i++;
            }
            if (name.isEmpty() || i >= n || h.charAt(i) != '=') {
                throw new HttpProtocolException("Digest parameter without a value");
            }
            i++;
            while (i < n && h.charAt(i) == ' ') {
                i++;
            }
            String value;
            if (i < n && h.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = h.charAt(i++);
                    if (c == '\\' && i < n) {
                        sb.append(h.charAt(i++));
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        sb.append(c);
                    }
                }
                if (!closed) {
                    throw new HttpProtocolException("unterminated quoted Digest parameter");
                }
                value = sb.toString();
            } else {
                int valueStart = i;
                while (i < n && h.charAt(i) != ',' && h.charAt(i) != ' ') {
                    i++;
                }
                value = h.substring(valueStart, i);
            }
            if (params.put(name, value) != null) {
                throw new HttpProtocolException("duplicate Digest parameter " + name);
            }
            if (params.size() > MAX_PARAMS) {
                throw new HttpProtocolException("too many Digest parameters");
            }
        }
        return params;
    }

    static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
