package io.github.netvirt.netns.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The kernel state of a group of named namespaces as normalised text lines, so that two networks built
 * by different means (netvirt, a shell recipe, {@code ip -batch}, raw syscalls) can be compared line
 * by line. Read from the outside with {@code ip -j -d} (iproute2), never through netvirt.
 *
 * <p>One line per namespace, link, address and route, e.g.
 * {@code netns bridge link br kind=bridge admin=up oper=UP carrier=1 ...}. Namespace names are printed
 * without the common prefix, so a build under prefix {@code a-} diffs cleanly against one under
 * {@code b-}. Left out because they differ between two identical builds: ifindexes, namespace ids,
 * MAC addresses, bridge and port ids, STP timers, address lifetimes, the IPv6 {@code tentative} flag;
 * IPv6 link-local addresses (derived from the MAC) print as {@code fe80::LL}. A veth's peer prints as
 * {@code ns:ifname}.
 *
 * <p>Right after a build the state still changes by itself: IPv6 duplicate address detection (1-2 s)
 * hides the link-local routes, and the kernel reports operstate changes in batches at most once a
 * second (linkwatch), so a new bridge shows UNKNOWN for up to a second. {@link #of} therefore waits
 * (at most 15 s) until no address is tentative, no up bridge or veth with carrier is still UNKNOWN,
 * and the dump has not changed for 1.2 s.
 */
public final class StateDump {
    /** What to leave out. */
    public enum Option {
        /** IPv6 addresses and routes (and no waiting for duplicate address detection). */
        NO_IPV6,
        /** {@code lo}, its addresses and routes: netvirt brings {@code lo} up, shell recipes leave it down. */
        NO_LOOPBACK
    }

    /** Longer than linkwatch's one-second batching of operstate changes. */
    private static final long SETTLED_NANOS = 1_200_000_000L;
    /**
     * A bridge or veth that is up with carrier but still UNKNOWN: linkwatch has not run yet (it can
     * lag well past its one second on a loaded machine), so the dump is not settled.
     */
    private static final Pattern OPER_PENDING =
            Pattern.compile("(?m)^.* link \\S+ kind=(bridge|veth) .*admin=up oper=UNKNOWN carrier=1 ");

    private static final Pattern LINK_LOCAL = Pattern.compile("^fe80::[0-9a-f:]+$");
    /** Bridge and bridge-port attributes that differ between identical builds (ids, STP timers and state). */
    private static final Pattern VOLATILE = Pattern.compile(
            "_timer$|^(bridge_id|root_id|root_port|root_path_cost|designated_\\w+|topology_change\\w*|config_pending)$");
    /** Bridge-port attributes numbered in creation order. */
    private static final Set<String> PORT_NUMBERS = Set.of("id", "no");

    private StateDump() {}

    /**
     * The normalised state of every named namespace whose name starts with {@code prefix}, sorted; an
     * empty string when there is none.
     *
     * @throws AssertionError when {@code ip} fails or cannot be run
     */
    public static String of(String prefix, Option... options) {
        Set<Option> opts = options.length == 0 ? EnumSet.noneOf(Option.class) : EnumSet.copyOf(Arrays.asList(options));
        List<String> names = namespaces(prefix);
        if (names.isEmpty()) {
            return "";
        }
        String text = render(prefix, snapshot(names), opts);
        long start = System.nanoTime();
        long unchangedSince = start;
        while (System.nanoTime() - start < 15_000_000_000L) {
            sleep(200);
            Map<String, Raw> next = snapshot(names);
            String nextText = render(prefix, next, opts);
            long now = System.nanoTime();
            if (!nextText.equals(text)
                    || (!opts.contains(Option.NO_IPV6) && tentative(next))
                    || OPER_PENDING.matcher(nextText).find()) {
                unchangedSince = now;
            } else if (now - unchangedSince >= SETTLED_NANOS) {
                return nextText;
            }
            text = nextText;
        }
        return text; // still changing: the caller's comparison shows what
    }

    /** Names of the named namespaces starting with {@code prefix}, as {@code ip netns list} shows them. */
    static List<String> namespaces(String prefix) {
        String out = Ip.ok("-j", "netns", "list");
        List<Object> docs = Json.parseAll(out);
        List<String> names = new ArrayList<>();
        if (!docs.isEmpty()) {
            for (Object o : list(docs.get(0))) {
                String n = str(map(o).get("name"));
                if (n.startsWith(prefix)) {
                    names.add(n);
                }
            }
        }
        names.sort(null);
        return names;
    }

    /** One namespace as {@code ip -j -d} shows it. */
    private record Raw(List<Object> links, List<Object> addrs, List<Object> routes, Map<String, String> nsids) {}

    private static Map<String, Raw> snapshot(List<String> names) {
        Map<String, Raw> m = new LinkedHashMap<>();
        for (String ns : names) {
            Ip.Result r = Ip.execWithInput(
                    List.of("ip", "-n", ns, "-j", "-d", "-batch", "-"),
                    "link show\naddress show\nroute show table all\nnetns list-id\n");
            if (r.exitCode() != 0) {
                throw new AssertionError("ip -n " + ns + " -j -d -batch failed (" + r.exitCode() + "): " + r.err());
            }
            List<Object> docs = Json.parseAll(r.out());
            if (docs.size() != 4) {
                throw new AssertionError(
                        "ip -n " + ns + " -batch printed " + docs.size() + " documents, not 4: " + r.out());
            }
            Map<String, String> ids = new TreeMap<>();
            for (Object o : list(docs.get(3))) {
                Map<String, Object> id = map(o);
                ids.put(str(id.get("nsid")), id.get("name") == null ? null : str(id.get("name")));
            }
            m.put(ns, new Raw(list(docs.get(0)), list(docs.get(1)), list(docs.get(2)), ids));
        }
        return m;
    }

    private static boolean tentative(Map<String, Raw> raw) {
        for (Raw r : raw.values()) {
            for (Object l : r.addrs()) {
                for (Object a : list(map(l).getOrDefault("addr_info", List.of()))) {
                    if (Boolean.TRUE.equals(map(a).get("tentative"))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static String render(String prefix, Map<String, Raw> raw, Set<Option> opts) {
        boolean noLo = opts.contains(Option.NO_LOOPBACK);
        boolean noV6 = opts.contains(Option.NO_IPV6);
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Raw> e : raw.entrySet()) {
            String ns = e.getKey().substring(prefix.length());
            Raw r = e.getValue();
            out.add("netns " + ns);
            Map<String, List<String>> links = new TreeMap<>();
            for (Object o : r.links()) {
                Map<String, Object> l = map(o);
                String name = str(l.get("ifname"));
                if (noLo && name.equals("lo")) {
                    continue;
                }
                List<String> lines = links.computeIfAbsent(name, k -> new ArrayList<>());
                lines.add("netns " + ns + " link " + name + " " + link(e.getKey(), l, raw, prefix));
                Map<String, Object> info = map(l.getOrDefault("linkinfo", Map.of()));
                if (info.get("info_data") != null) {
                    lines.add(
                            "netns " + ns + " link " + name + " info_data " + attrs(map(info.get("info_data")), false));
                }
                if (info.get("info_slave_data") != null) {
                    boolean port = "bridge".equals(info.get("info_slave_kind"));
                    lines.add("netns " + ns + " link " + name + " slave_data "
                            + attrs(map(info.get("info_slave_data")), port));
                }
            }
            links.values().forEach(out::addAll);
            List<String> rest = new ArrayList<>();
            for (Object o : r.addrs()) {
                Map<String, Object> l = map(o);
                String dev = str(l.get("ifname"));
                for (Object ao : list(l.getOrDefault("addr_info", List.of()))) {
                    Map<String, Object> a = map(ao);
                    if ((noLo && dev.equals("lo")) || (noV6 && "inet6".equals(a.get("family")))) {
                        continue;
                    }
                    rest.add("netns " + ns + " addr " + address(dev, a));
                }
            }
            for (Object o : r.routes()) {
                Map<String, Object> rt = map(o);
                boolean v6 = str(rt.get("dst")).contains(":")
                        || str(rt.get("gateway")).contains(":")
                        || rt.containsKey("pref");
                if ((noLo && "lo".equals(rt.get("dev"))) || (noV6 && v6)) {
                    continue;
                }
                rest.add("netns " + ns + " route " + route(rt, v6));
            }
            out.addAll(rest.stream().sorted().collect(Collectors.toList()));
        }
        return String.join("\n", out);
    }

    private static String link(String ns, Map<String, Object> l, Map<String, Raw> raw, String prefix) {
        Map<String, Object> info = map(l.getOrDefault("linkinfo", Map.of()));
        List<String> flags = list(l.getOrDefault("flags", List.of())).stream()
                .map(Object::toString)
                .sorted()
                .collect(Collectors.toList());
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("kind", info.containsKey("info_kind") ? info.get("info_kind") : l.get("link_type"));
        f.put("slave_kind", info.get("info_slave_kind"));
        f.put("master", l.get("master"));
        f.put("admin", flags.contains("UP") ? "up" : "down");
        f.put("oper", l.get("operstate"));
        f.put("carrier", flags.contains("LOWER_UP") ? "1" : "0");
        f.put("flags", String.join(",", flags));
        f.put("mtu", l.get("mtu"));
        f.put("qdisc", l.get("qdisc"));
        f.put("txqlen", l.get("txqlen"));
        f.put("promisc", l.get("promiscuity"));
        f.put("allmulti", l.get("allmulti"));
        f.put("group", l.get("group"));
        f.put("addrgenmode", l.get("inet6_addr_gen_mode"));
        f.put("txq", l.get("num_tx_queues"));
        f.put("rxq", l.get("num_rx_queues"));
        f.put("peer", "veth".equals(info.get("info_kind")) ? peer(ns, l, raw, prefix) : null);
        List<Object> alt = list(l.getOrDefault("altnames", List.of()));
        f.put(
                "altnames",
                alt.isEmpty() ? null : alt.stream().map(Object::toString).collect(Collectors.joining(",")));
        f.put("alias", l.get("ifalias"));
        return join(f);
    }

    /** A veth's other end as {@code ns:ifname}, the namespace without the prefix. */
    private static String peer(String ns, Map<String, Object> l, Map<String, Raw> raw, String prefix) {
        if (!l.containsKey("link_netnsid")) {
            return ns.substring(prefix.length()) + ":" + str(l.get("link")); // same namespace: ip prints the name
        }
        String other = raw.get(ns).nsids().get(str(l.get("link_netnsid")));
        if (other == null) {
            return "<unnamed-ns>:?";
        }
        if (!raw.containsKey(other)) {
            return "<outside:" + other + ">:?";
        }
        String index = str(l.get("link_index"));
        for (Object o : raw.get(other).links()) {
            if (str(map(o).get("ifindex")).equals(index)) {
                return other.substring(prefix.length()) + ":" + str(map(o).get("ifname"));
            }
        }
        return other.substring(prefix.length()) + ":?";
    }

    private static String attrs(Map<String, Object> data, boolean bridgePort) {
        Map<String, Object> f = new TreeMap<>();
        for (Map.Entry<String, Object> e : data.entrySet()) {
            if (!VOLATILE.matcher(e.getKey()).find() && !(bridgePort && PORT_NUMBERS.contains(e.getKey()))) {
                f.put(e.getKey(), e.getValue());
            }
        }
        return join(f);
    }

    private static String address(String dev, Map<String, Object> a) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("dev", dev);
        f.put("family", a.get("family"));
        f.put("local", linkLocal(str(a.get("local"))) + "/" + str(a.get("prefixlen")));
        f.put("peer", a.get("address"));
        f.put("broadcast", a.get("broadcast"));
        f.put("scope", a.get("scope"));
        f.put("label", a.get("label"));
        String flags = a.entrySet().stream()
                .filter(e -> Boolean.TRUE.equals(e.getValue()) && !e.getKey().equals("tentative"))
                .map(Map.Entry::getKey)
                .sorted()
                .collect(Collectors.joining(","));
        f.put("flags", flags.isEmpty() ? null : flags);
        return join(f);
    }

    private static String route(Map<String, Object> rt, boolean v6) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("family", v6 ? "inet6" : "inet");
        f.put("table", rt.getOrDefault("table", "main"));
        f.put("type", rt.get("type"));
        f.put("dst", linkLocal(str(rt.get("dst"))));
        f.put("gateway", rt.get("gateway") == null ? null : linkLocal(str(rt.get("gateway"))));
        f.put("dev", rt.get("dev"));
        f.put("protocol", rt.get("protocol"));
        f.put("scope", rt.get("scope"));
        f.put("prefsrc", rt.get("prefsrc"));
        f.put("metric", rt.get("metric"));
        String flags = list(rt.getOrDefault("flags", List.of())).stream()
                .map(Object::toString)
                .sorted()
                .collect(Collectors.joining(","));
        f.put("flags", flags.isEmpty() ? null : flags);
        return join(f);
    }

    private static String linkLocal(String a) {
        return LINK_LOCAL.matcher(a).matches() ? "fe80::LL" : a;
    }

    private static String join(Map<String, Object> f) {
        return f.entrySet().stream()
                .filter(e -> e.getValue() != null && !(e.getValue() instanceof Map))
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
