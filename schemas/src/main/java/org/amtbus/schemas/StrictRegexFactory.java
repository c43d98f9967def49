package org.amtbus.schemas;

import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;
import java.util.regex.Pattern;

/**
 * Gives JSON Schema {@code pattern}s their ECMA-262 meaning on the JDK regex engine. The engine's
 * default lets {@code $} match before a final line terminator, so {@code ^[a-z]+$} would accept
 * {@code "acme\n"}; here every {@code $} outside a character class becomes {@code \z} (end of input).
 */
final class StrictRegexFactory implements RegularExpressionFactory {
    static final StrictRegexFactory INSTANCE = new StrictRegexFactory();

    private StrictRegexFactory() {
    }

    @Override
    public RegularExpression getRegularExpression(String regex) {
        Pattern pattern = Pattern.compile(toJava(regex));
        return value -> pattern.matcher(value).find();
    }

    static String toJava(String ecmaRegex) {
        StringBuilder out = new StringBuilder(ecmaRegex.length() + 4);
        boolean inClass = false;
        for (int i = 0; i < ecmaRegex.length(); i++) {
            char c = ecmaRegex.charAt(i);
            if (c == '\\' && i + 1 < ecmaRegex.length()) {
                out.append(c).append(ecmaRegex.charAt(++i));
            } else if (c == '[') {
                inClass = true;
                out.append(c);
            } else if (c == ']') {
                inClass = false;
                out.append(c);
            } else if (c == '$' && !inClass) {
                out.append("\\z");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
