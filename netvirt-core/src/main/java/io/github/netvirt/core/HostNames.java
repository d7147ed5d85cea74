package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.FileStat;
import io.github.netvirt.netns.internal.HostTables;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The host names of a topology: each namespace's logical name stands for the addresses of its
 * devices, in the order of the description, but IPv6 link-local ones. They are given to code inside the topology's
 * namespaces two ways: as {@code /etc/hosts} of every process started in one of them
 * ({@link NetNamespace#etcFile}), and, on JDK 18 and later, to {@code InetAddress} lookups by
 * threads inside one of them (the {@code java.net.spi.InetAddressResolverProvider} of this jar,
 * which asks {@link #resolve}), and to the {@link NetNamespace#socketFactory} of each of them, on
 * any thread (both through {@link HostTables}, by the namespace's inode). A topology publishes them when it first hands out one of its
 * namespaces ({@link Topology#namespace}), the way code gets inside. The root namespace takes no part:
 * its threads and processes are the rest of the machine, whose names stay the machine's.
 */
final class HostNames {
    /** Whether /etc has a hosts file for a topology's to be mounted over. */
    private static final boolean ETC_HOSTS = Files.exists(Path.of("/etc/hosts"));

    private static final String HOSTS_HEADER = "# netvirt: the hosts of this topology\n"
            + "127.0.0.1\tlocalhost\n"
            + "::1\tlocalhost ip6-localhost ip6-loopback\n";

    private HostNames() {}

    /**
     * Host name, as its namespace is declared -> addresses, for the namespaces of {@code spec} other than
     * the root whose names are host names ({@link #isHostName}), looked up in any case, as glibc looks up
     * a hosts file; names that differ only by case are left out, both: a lookup could not tell which
     * host it meant.
     */
    static Map<String, List<InetAddress>> table(TopologySpec spec) {
        Map<String, List<InetAddress>> table = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        List<String> ambiguous = null;
        for (NamespaceSpec n : spec.namespaces()) {
            if (n.root() || !isHostName(n.name())) {
                continue;
            }
            List<InetAddress> addresses = addresses(n);
            if (!addresses.isEmpty() && table.putIfAbsent(n.name(), List.copyOf(addresses)) != null) {
                if (ambiguous == null) {
                    ambiguous = new ArrayList<>();
                }
                ambiguous.add(n.name());
            }
        }
        if (ambiguous != null) {
            for (String name : ambiguous) {
                table.remove(name); // in any case (keySet().removeAll could compare by equals)
            }
        }
        return Collections.unmodifiableMap(table);
    }

    /**
     * Whether namespace name {@code name} can stand for its host alone: not a name the hosts file
     * gives the loopback first ({@code localhost}, {@code ip6-localhost}, {@code ip6-loopback}), nothing a hosts
     * file splits a line at or ends it with (a space, a tab, '#'), and no IP literal (a lookup of
     * which must answer that address): neither an IPv4 address in any form glibc's {@code inet_aton}
     * reads ({@code 123}, {@code 10.1}, {@code 0x7f.1}) nor an IPv6 address, with a zone or not.
     */
    static boolean isHostName(String name) {
        if (name.equalsIgnoreCase("localhost")
                || name.equalsIgnoreCase("ip6-localhost")
                || name.equalsIgnoreCase("ip6-loopback")
                || isIpv4Number(name)) { // HOSTS_HEADER's names come first in the file
            return false;
        }
        int zone = name.indexOf('%');
        if (zone > 0 && name.indexOf(':') >= 0) {
            return isHostName(name.substring(0, zone)); // fe80::1%lo: the resolvers take the zone with the address
        }
        boolean literal = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c == '#' || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                return false;
            }
            literal &= Character.digit(c, 16) >= 0 || c == '.' || c == ':';
        }
        if (literal) {
            try {
                IpPrefix.parseAddress(name);
                return false;
            } catch (IllegalArgumentException notOne) {
                // a name of hex digits, such as "cafe"
            }
        }
        return true;
    }

    /**
     * Whether glibc's {@code inet_aton}, which every process's lookup tries first, reads {@code name}
     * as an IPv4 address: one to four numbers separated by dots, each decimal, octal (a leading 0) or
     * hex (0x), each but the last one byte, the last filling the bytes left.
     */
    static boolean isIpv4Number(String name) {
        String[] parts = name.split("\\.", -1);
        if (parts.length > 4) {
            return false;
        }
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            int radix = 10;
            int from = 0;
            if (p.length() > 1 && p.charAt(0) == '0') {
                boolean hex = p.charAt(1) == 'x' || p.charAt(1) == 'X';
                radix = hex ? 16 : 8;
                from = hex ? 2 : 1;
            }
            if (p.length() == from) {
                return false; // empty, or 0x alone
            }
            long value = 0;
            for (int j = from; j < p.length(); j++) {
                char c = p.charAt(j);
                char lower = (char) (c | 0x20);
                int d = c >= '0' && c <= '9' ? c - '0' : lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : radix;
                if (d >= radix) {
                    return false;
                }
                value = value * radix + d;
                if (value > 0xffffffffL) {
                    return false;
                }
            }
            long max = i < parts.length - 1 ? 0xff : 0xffffffffL >>> (8 * i);
            if (value > max) {
                return false;
            }
        }
        return true;
    }

    /** {@code /etc/hosts} for the table: localhost, then one line per address of each host. */
    static String hostsFile(Map<String, List<InetAddress>> table) {
        // one constant, and room for a few hosts: each append or growth is several calls while interpreted
        StringBuilder s = new StringBuilder(256).append(HOSTS_HEADER);
        for (Map.Entry<String, List<InetAddress>> e : table.entrySet()) {
            for (InetAddress a : e.getValue()) {
                s.append(IpPrefix.format(a)).append('\t').append(e.getKey()).append('\n');
            }
        }
        return s.toString();
    }

    /**
     * Gives the hosts of the topology whose resources are {@code res} their names: {@code /etc/hosts}
     * for processes started through its handles and the table for lookups from threads inside them.
     * Replaces what an earlier call published for the same topology; in a namespace another topology
     * adopted too, its table comes first until withdrawn.
     */
    static void publish(TopologySpec spec, Resources res) {
        Map<String, List<InetAddress>> table = table(spec);
        String file = hostsFile(table);
        for (Map.Entry<String, NetNamespace> e : res.hosts.entrySet()) {
            NetNamespace ns = e.getValue();
            if (!TopologySpec.ROOT.equals(e.getKey()) && ns.isOpen()) {
                if (ETC_HOSTS) { // a file is mounted over one /etc has; without it processes see no names
                    ns.etcFile("hosts", file);
                }
                HostTables.publish(ns.inode(), res, table);
            }
        }
    }

    /**
     * Forgets the table of the topology whose resources are {@code res} in its namespaces: before
     * they are closed (their inode numbers are reused later). Other topologies' tables in a namespace
     * they share stay.
     */
    static void withdraw(Resources res) {
        withdraw(res, res.hosts.keySet());
    }

    /**
     * Forgets the table of the topology whose resources are {@code res} in its namespaces {@code hosts}
     * (logical names), as {@link #withdraw(Resources)} does in all of them: before a change removes them.
     */
    static void withdraw(Resources res, Set<String> hosts) {
        for (String host : hosts) {
            NetNamespace ns = res.hosts.get(host);
            if (ns != null && ns.isOpen()) {
                HostTables.withdraw(ns.inode(), res);
            }
        }
    }

    /**
     * The addresses of {@code host} in the topology the calling thread is inside of, in description
     * order; null when the thread is not inside a topology's namespace or the topology has no such
     * host (the caller then asks the system's resolver).
     */
    static List<InetAddress> resolve(String host) {
        Map<String, List<InetAddress>> table = currentTable();
        return table == null ? null : table.get(host);
    }

    /** The host name of {@code address} in the calling thread's topology, or null. */
    static String nameOf(InetAddress address) {
        Map<String, List<InetAddress>> table = currentTable();
        if (table != null) {
            for (Map.Entry<String, List<InetAddress>> e : table.entrySet()) {
                if (e.getValue().contains(address)) {
                    return e.getKey();
                }
            }
        }
        return null;
    }

    private static Map<String, List<InetAddress>> currentTable() {
        if (HostTables.none()) {
            return null;
        }
        try {
            return HostTables.table(
                    FileStat.of("/proc/thread-self/ns/net", true).inode());
        } catch (IOException e) {
            return null;
        }
    }

    /** The addresses of {@code host} in {@code spec}: for {@link Topology#address}. */
    static List<InetAddress> addresses(TopologySpec spec, String host) {
        return addresses(spec.namespace(host));
    }

    /**
     * The addresses of namespace {@code n}'s devices, each once, in description order, but IPv6
     * link-local ones: without the zone of the caller's own device a connect to one fails (EINVAL).
     */
    private static List<InetAddress> addresses(NamespaceSpec n) {
        List<InetAddress> out = new ArrayList<>();
        for (DeviceSpec d : n.devices()) {
            for (IpPrefix p : d.addresses()) {
                if (!(p.address() instanceof Inet6Address && p.address().isLinkLocalAddress())
                        && !out.contains(p.address())) {
                    out.add(p.address());
                }
            }
        }
        return out;
    }
}
