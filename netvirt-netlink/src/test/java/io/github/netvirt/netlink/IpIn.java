package io.github.netvirt.netlink;

import io.github.netvirt.netns.ExecResult;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs iproute2 inside a (possibly unnamed) namespace to cross-check what netvirt did. Tests only. */
final class IpIn {
    private IpIn() {}

    static String run(NetNamespace ns, String... args) {
        try {
            ExecResult r = ns.exec(args);
            if (!r.ok()) {
                throw new AssertionError(String.join(" ", args) + " failed (" + r.exitCode() + "): " + r.stderr());
            }
            return r.stdout();
        } catch (Exception e) {
            throw new AssertionError("cannot run " + String.join(" ", args), e);
        }
    }

    /** {@code ip -j ARGS} inside {@code ns}, parsed. */
    static List<Map<String, Object>> json(NetNamespace ns, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-j"));
        cmd.addAll(List.of(args));
        String out = run(ns, cmd.toArray(new String[0])).trim();
        return out.isEmpty() ? List.of() : Json.array(out);
    }

    /** The {@code ip -j -d link show dev NAME} object. */
    static Map<String, Object> link(NetNamespace ns, String name) {
        return json(ns, "-d", "link", "show", "dev", name).get(0);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> infoData(Map<String, Object> link) {
        return (Map<String, Object>) ((Map<String, Object>) link.get("linkinfo")).get("info_data");
    }

    static int num(Object o) {
        return ((Number) o).intValue();
    }
}
