package io.github.netvirt.core;

import io.github.netvirt.core.spec.Adoption;
import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import java.util.ArrayList;
import java.util.List;

/** How the iproute2 rendering of a plan names namespaces (its words quoted by {@link TopologySpec#shellWord}). */
final class Iproute2 {
    private Iproute2() {}

    /** The command prefix that runs {@code ip} in namespace {@code ns} of {@code spec}. */
    static String ip(TopologySpec spec, String ns) {
        return in(spec, ns, "ip");
    }

    /** The command prefix that runs {@code tool} ({@code ip}, {@code tc}: both take {@code -n}) in namespace {@code ns}. */
    static String in(TopologySpec spec, String ns, String tool) {
        if (TopologySpec.ROOT.equals(ns)) {
            return tool + " ";
        }
        Adoption a = spec.namespace(ns).adoption();
        if (a != null && a.pid() != 0) {
            return "nsenter -t " + a.pid() + " -n " + tool + " ";
        }
        return tool + " -n " + TopologySpec.shellWord(netnsArg(spec, ns)) + " ";
    }

    /**
     * The command prefix that runs a program in namespace {@code ns}: {@code ip netns exec} by its
     * name (an adopted one's own), {@code nsenter} for one adopted by pid, nothing in the root namespace.
     */
    static String exec(TopologySpec spec, String ns) {
        if (TopologySpec.ROOT.equals(ns)) {
            return "";
        }
        Adoption a = spec.namespace(ns).adoption();
        if (a != null && a.pid() != 0) {
            return "nsenter -t " + a.pid() + " -n ";
        }
        return "ip netns exec " + TopologySpec.shellWord(netnsArg(spec, ns)) + " ";
    }

    /**
     * The command that writes {@code value} to {@code /proc/sys/net/KEY} for each of {@code keys}
     * ({@code ipv6/conf/DEV/accept_dad}) inside namespace {@code ns}, as apply() does
     * ({@link io.github.netvirt.netlink.Sysctls}).
     */
    static String sysctl(TopologySpec spec, String ns, String value, List<String> keys) {
        // not sysctl KEY=VALUE: it splits that at the first '=', and reads '.' (or '/') as the separator
        // of a key's parts, where a device name may have '=' and '.' (a=b, eth0.10, a..b)
        StringBuilder c = new StringBuilder("echo ")
                .append(value)
                .append(" | ")
                .append(exec(spec, ns))
                .append("tee");
        for (String k : keys) {
            c.append(' ').append(TopologySpec.shellWord("/proc/sys/net/" + k));
        }
        return c.append(" >/dev/null").toString();
    }

    /** The command that writes {@code value} to {@code default}'s and each of {@code devices}' {@code accept_dad} in {@code ns}. */
    static String acceptDad(TopologySpec spec, String ns, String value, List<String> devices) {
        List<String> keys = new ArrayList<>(List.of(NsAddStep.ACCEPT_DAD));
        for (String d : devices) {
            keys.add("ipv6/conf/" + d + "/accept_dad");
        }
        return sysctl(spec, ns, value, keys);
    }

    /**
     * The command that writes 1 to {@code /proc/sys/net/KEY} inside namespace {@code ns} unless 1 is
     * there, as apply() turns forwarding on ({@link io.github.netvirt.netlink.Sysctls#forwardingOn}).
     */
    static String sysctlOn(TopologySpec spec, String ns, String key) {
        String file = TopologySpec.shellWord("/proc/sys/net/" + key);
        return exec(spec, ns) + "grep -qx 1 " + file + " || " + sysctl(spec, ns, "1", List.of(key));
    }

    /** What iproute2 takes after {@code netns} or {@code -n} for namespace {@code ns}. */
    static String netnsArg(TopologySpec spec, String ns) {
        Adoption a = spec.namespace(ns).adoption();
        if (a == null) {
            return spec.prefix() + ns;
        }
        String arg = a.iproute2();
        // an unnamed handle has nothing iproute2 could name: the placeholder says what it stands for
        return arg != null ? arg : "<" + ns + ": " + a + ">";
    }

    /** {@code ip link} settings of a device: its MTU and MAC address, where given. */
    static String settings(DeviceSpec d) {
        return (d.mtu() > 0 ? " mtu " + d.mtu() : "") + (d.mac() != null ? " address " + d.mac() : "");
    }

    /** {@code ip link add} queue counts of a device, where given. */
    static String queues(DeviceSpec d) {
        return d.queues() > 0 ? " numtxqueues " + d.queues() + " numrxqueues " + d.queues() : "";
    }
}
