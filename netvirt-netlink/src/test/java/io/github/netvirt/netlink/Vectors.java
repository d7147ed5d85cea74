package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The iproute2 captures in {@code src/test/resources/iproute2/vectors.txt} (made by capture.py there). */
final class Vectors {
    record Vector(String name, String cmd, Map<String, Integer> vars, String json, List<byte[]> datagrams) {
        byte[] bytes() {
            return datagrams.get(0);
        }

        int var(String key) {
            Integer v = vars.get(key);
            if (v == null) {
                throw new IllegalStateException(name + " has no variable " + key);
            }
            return v;
        }

        /** nlmsg_seq of the captured request. */
        int seq() {
            byte[] b = bytes();
            return (b[8] & 0xff) | (b[9] & 0xff) << 8 | (b[10] & 0xff) << 16 | (b[11] & 0xff) << 24;
        }
    }

    private static final Map<String, Vector> ALL = load();

    private Vectors() {}

    static Vector get(String name) {
        Vector v = ALL.get(name);
        if (v == null) {
            throw new IllegalStateException("no vector " + name);
        }
        return v;
    }

    static Map<String, Vector> all() {
        return ALL;
    }

    private static Map<String, Vector> load() {
        String text;
        try (InputStream in = Vectors.class.getResourceAsStream("/iproute2/vectors.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Vector> out = new LinkedHashMap<>();
        for (String block : text.split("\n\n")) {
            String name = null;
            String cmd = null;
            String json = null;
            Map<String, Integer> vars = new HashMap<>();
            List<byte[]> data = new ArrayList<>();
            for (String line : block.split("\n")) {
                if (line.startsWith("## ")) {
                    name = line.substring(3).trim();
                } else if (line.startsWith("# cmd: ")) {
                    cmd = line.substring(7);
                } else if (line.startsWith("# json: ")) {
                    json = line.substring(8);
                } else if (line.startsWith("# vars: ")) {
                    for (String kv : line.substring(8).trim().split(" ")) {
                        String[] p = kv.split("=");
                        vars.put(p[0], Integer.parseInt(p[1]));
                    }
                } else if (!line.isBlank() && !line.startsWith("#")) {
                    data.add(hex(line.trim()));
                }
            }
            if (name != null) {
                out.put(name, new Vector(name, cmd, vars, json, data));
            }
        }
        return out;
    }

    static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }

    /** {@code r} as the handle would send it with sequence number {@code seq}, links looked up in {@code names}. */
    static byte[] encode(Request r, int seq, Map<String, Integer> names) {
        NlWriter w = new NlWriter(256);
        int m = w.begin(r.type, r.flags | Nl.NLM_F_REQUEST | Nl.NLM_F_ACK, seq, 0);
        r.body.write(w, name -> {
            Integer i = names.get(name);
            if (i == null) {
                throw new AssertionError("unexpected lookup of " + name);
            }
            return i;
        });
        w.end(m);
        return w.toByteArray();
    }
}
