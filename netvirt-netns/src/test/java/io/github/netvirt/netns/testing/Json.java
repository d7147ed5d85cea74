package io.github.netvirt.netns.testing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough JSON to read {@code ip -j} in tests: objects become {@link LinkedHashMap}s, arrays
 * {@link List}s, strings {@link String}s, integers {@link Long}s, other numbers {@link BigDecimal}s
 * (which print as written: {@code 0.00} stays {@code 0.00}), true and false {@link Boolean}s.
 */
public final class Json {
    private final String s;
    private int i;

    private Json(String s) {
        this.s = s;
    }

    /**
     * The one value in {@code text}.
     *
     * @throws IllegalArgumentException when {@code text} is not one JSON value
     */
    public static Object parse(String text) {
        List<Object> all = parseAll(text);
        if (all.size() != 1) {
            throw new IllegalArgumentException("expected one JSON value, found " + all.size());
        }
        return all.get(0);
    }

    /** The top-level array of objects in {@code text}, as {@code ip -j ... show} prints it. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> array(String text) {
        return (List<Map<String, Object>>) parse(text);
    }

    /**
     * Every top-level value in {@code text}, in order: {@code ip -batch} prints one document per command.
     *
     * @throws IllegalArgumentException when {@code text} is not a sequence of JSON values
     */
    public static List<Object> parseAll(String text) {
        Json p = new Json(text);
        List<Object> out = new ArrayList<>();
        while (p.skipSpace()) {
            out.add(p.value());
        }
        return out;
    }

    private boolean skipSpace() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i < s.length();
    }

    private Object value() {
        if (!skipSpace()) {
            throw error("unexpected end");
        }
        char c = s.charAt(i);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> word("true", Boolean.TRUE);
            case 'f' -> word("false", Boolean.FALSE);
            case 'n' -> word("null", null);
            default -> {
                if (c == '-' || Character.isDigit(c)) {
                    int start = i;
                    while (i < s.length() && "+-.eE0123456789".indexOf(s.charAt(i)) >= 0) {
                        i++;
                    }
                    String n = s.substring(start, i);
                    yield n.matches("-?\\d{1,18}") ? (Object) Long.valueOf(n) : new BigDecimal(n);
                }
                throw error("unexpected '" + c + "'");
            }
        };
    }

    private Map<String, Object> object() {
        Map<String, Object> m = new LinkedHashMap<>();
        elements('}', () -> {
            skipSpace();
            String key = string();
            skipSpace();
            expect(':');
            m.put(key, value());
        });
        return m;
    }

    private List<Object> array() {
        List<Object> l = new ArrayList<>();
        elements(']', () -> l.add(value()));
        return l;
    }

    /** Reads the comma-separated elements after the opening bracket, each with {@code element}, up to {@code close}. */
    private void elements(char close, Runnable element) {
        i++;
        if (skipSpace() && s.charAt(i) == close) {
            i++;
            return;
        }
        while (true) {
            element.run();
            skipSpace();
            if (s.charAt(i) == ',') {
                i++;
            } else {
                expect(close);
                return;
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = s.charAt(i++);
            if (c == '"') {
                return b.toString();
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = s.charAt(i++);
            switch (e) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u' -> {
                    b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> b.append(e); // " \ /
            }
        }
    }

    private Object word(String w, Object v) {
        if (!s.startsWith(w, i)) {
            throw error("expected " + w);
        }
        i += w.length();
        return v;
    }

    private void expect(char c) {
        if (i >= s.length() || s.charAt(i) != c) {
            throw error("expected '" + c + "'");
        }
        i++;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("bad JSON at offset " + i + ": " + what + " in "
                + s.substring(Math.max(0, i - 40), Math.min(s.length(), i + 40)));
    }
}
