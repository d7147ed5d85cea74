package io.github.netvirt.core;

import static io.github.netvirt.core.DraftMtus.ETH_DATA_LEN;
import static io.github.netvirt.core.DraftMtus.ETH_MIN_MTU;
import static io.github.netvirt.core.DraftMtus.VXLAN6_HEADROOM;
import static io.github.netvirt.core.DraftMtus.VXLAN_HEADROOM;
import static io.github.netvirt.core.DraftMtus.declaredMtu;
import static io.github.netvirt.core.DraftMtus.mtuOf;
import static io.github.netvirt.core.DraftMtus.portOf;
import static io.github.netvirt.core.DraftMtus.realLower;
import static io.github.netvirt.core.Validator.where;
import static io.github.netvirt.core.VxlanChecks.ipv6;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.Kind;
import io.github.netvirt.core.spec.MacvlanSettings;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.core.spec.VxlanSettings;
import io.github.netvirt.netlink.MacvlanMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The MTUs of a validation's vxlans, bridges and macvlans that the kernel would take to no effect or refuse. */
final class MtuChecks {
    private final Validation v;
    private final List<String> problems;
    /** The live topology's description a change began from, or null. */
    private final TopologySpec base;

    MtuChecks(Validation v) {
        this.v = v;
        this.problems = v.problems();
        this.base = v.base();
    }

    /**
     * MTUs the kernel would take to no effect or refuse, all read from the description: a vxlan's
     * above its lower device's MTU less the encapsulation (the kernel lowers it: vxlan_config_apply), a
     * bridge's other than its ports' smallest (the kernel sets that as each port is added,
     * br_mtu_auto_adjust: netvirt gives the MTU at creation, before the ports, which does not mark
     * it set by the user), a macvlan's above its lower device's (EINVAL), and a passthru macvlan
     * beside another macvlan on the same lower device (EINVAL, whichever comes second; a macvlan on a
     * macvlan sits on the other's lower device). A device's MTU is its declared one, or the one the
     * kernel gives it: 1500, a vxlan's lower device's less the headroom, a macvlan's lower device's.
     * What the description does not say is left to the kernel: an MTU set since apply with {@code
     * netlink(ns).linkSetMtu}, or a port a program added to a bridge by itself.
     */
    void checkMtus(List<Drafts.Ns> ordered) {
        for (Drafts.Ns n : ordered) {
            Map<Drafts.Dev, List<Drafts.Dev>> macvlans = null;
            for (Drafts.Dev d : n.devices.values()) {
                if (d.kind == Kind.VXLAN || d.kind == Kind.BRIDGE || d.kind == Kind.MACVLAN) {
                    if (d.kind == Kind.MACVLAN) {
                        Drafts.Dev real = realLower(n, d);
                        if (real != null) {
                            if (macvlans == null) {
                                macvlans = new HashMap<>();
                            }
                            macvlans.computeIfAbsent(real, k -> new ArrayList<>())
                                    .add(d);
                        }
                    }
                    checkMtu(n, d);
                }
            }
            if (base != null) {
                checkLiveBridgesMtu(n);
            }
            if (macvlans != null) {
                for (Map.Entry<Drafts.Dev, List<Drafts.Dev>> e : macvlans.entrySet()) {
                    List<Drafts.Dev> on = e.getValue();
                    for (Drafts.Dev d : on) {
                        if (on.size() > 1
                                && d.settings instanceof MacvlanSettings m
                                && m.mode() == MacvlanMode.PASSTHRU) {
                            Drafts.Dev other = on.get(on.get(0) == d ? 1 : 0);
                            if (v.isLive(d) && !v.isLive(other)) {
                                // a change adds other beside it: other is named (a passthru one on its own entry)
                                if (!(other.settings instanceof MacvlanSettings o
                                        && o.mode() == MacvlanMode.PASSTHRU)) {
                                    problems.add("device " + where(n, other) + ": its lower device " + e.getKey().name
                                            + " has passthru macvlan " + d.name + ", which takes no other macvlan"
                                            + " beside it (the kernel would refuse " + other.name + ": EINVAL)");
                                }
                                continue;
                            }
                            problems.add("device " + where(n, d) + ": a passthru macvlan is the only macvlan on its"
                                    + " lower device " + e.getKey().name + ", which " + other.name + " is on too (the"
                                    + " kernel would refuse the second: EINVAL)");
                        }
                    }
                }
            }
        }
    }

    /**
     * In a change, the live bridges of {@code n} whose ports it adds or removes: the kernel then gives
     * such a bridge its new ports' smallest MTU, or 1500 once it has none, whatever MTU it was made
     * with, and what sits on it does not follow as a fresh apply gives it (a vxlan keeps its MTU, a
     * macvlan follows down but not up). Refused where the bridge's MTU would move with a vxlan or
     * macvlan of the topology's on it, or end other than the description gives it: a change does not
     * change a live device's MTU.
     */
    private void checkLiveBridgesMtu(Drafts.Ns n) {
        Optional<NamespaceSpec> was = base.findNamespace(n.name);
        if (was.isEmpty()) {
            return;
        }
        for (DeviceSpec b : was.get().devices()) {
            Drafts.Dev d = b.kind() == Kind.BRIDGE ? n.devices.get(b.name()) : null;
            if (d == null || d.kind != Kind.BRIDGE) {
                continue;
            }
            int before = Integer.MAX_VALUE;
            Set<String> portsBefore = new HashSet<>();
            for (DeviceSpec p : was.get().devices()) {
                if (b.name().equals(p.master())) {
                    portsBefore.add(p.name());
                    before = Math.min(before, p.mtu() > 0 ? p.mtu() : ETH_DATA_LEN);
                }
            }
            int after = Integer.MAX_VALUE;
            Set<String> portsAfter = new HashSet<>();
            boolean known = true;
            for (Drafts.Dev p : n.devices.values()) {
                if (p != d && portOf(p, d)) {
                    int m = mtuOf(n, p, 1);
                    known &= m > 0; // else reported on its own
                    portsAfter.add(p.name);
                    after = Math.min(after, m);
                }
            }
            if (!known || portsAfter.equals(portsBefore)) {
                continue;
            }
            before = before == Integer.MAX_VALUE ? (b.mtu() > 0 ? b.mtu() : ETH_DATA_LEN) : before;
            after = after == Integer.MAX_VALUE ? ETH_DATA_LEN : after;
            int described = mtuOf(n, d, 0);
            String on = null;
            for (Drafts.Dev u : n.devices.values()) {
                if ((u.kind == Kind.VXLAN ? d.name.equals(u.lower) : u.kind == Kind.MACVLAN && realLower(n, u) == d)
                        && v.isLive(u)) {
                    on = u.name;
                    break;
                }
            }
            if (described > 0 && after != described) {
                problems.add("device " + where(n, d) + ": this change would leave it without ports, at MTU " + after
                        + " (the kernel gives a bridge without ports 1500, whatever MTU it was made with), where its"
                        + " description gives it " + described + ": a change does not change a live device's MTU");
            } else if (after != before && on != null) {
                problems.add("device " + where(n, d) + ": this change's ports would move its MTU from " + before
                        + " to " + after + " (the kernel gives a bridge its ports' smallest), and " + on
                        + " on it would not follow as a fresh apply gives it its MTU: a change does not change a live"
                        + " device's MTU; give the ports MTU " + before + ", or remove " + on
                        + " in one change and declare it again in the next");
            }
        }
    }

    private void checkMtu(Drafts.Ns n, Drafts.Dev d) {
        int mtu = declaredMtu(d);
        if (mtu <= 0) {
            return;
        }
        if (d.kind == Kind.VXLAN && d.settings instanceof VxlanSettings x) {
            Drafts.Dev l = d.lower == null || d.lower.equals(d.name) ? null : n.devices.get(d.lower);
            int lower = mtuOf(n, l, 0);
            int headroom = ipv6(x) ? VXLAN6_HEADROOM : VXLAN_HEADROOM;
            int max = Math.max(ETH_MIN_MTU, lower - headroom);
            if (lower > 0 && mtu > max) {
                problems.add("device " + where(n, d) + ": MTU " + mtu + " is above the most a vxlan over " + l.name
                        + " (MTU " + lower + ") takes: " + max + " (" + headroom + " bytes of "
                        + (ipv6(x) ? "IPv6" : "IPv4") + " encapsulation); the kernel would lower it to " + max
                        + " (give " + l.name + " MTU " + (mtu + headroom) + ", or the vxlan mtu(" + max + "))");
            }
        } else if (d.kind == Kind.BRIDGE) {
            Drafts.Dev smallest = null;
            int min = Integer.MAX_VALUE;
            for (Drafts.Dev port : n.devices.values()) {
                if (port != d && portOf(port, d)) {
                    int m = mtuOf(n, port, 0);
                    if (m <= 0) {
                        return; // a port whose MTU the description does not settle
                    }
                    if (m < min) {
                        min = m;
                        smallest = port;
                    }
                }
            }
            if (smallest != null && mtu != min) {
                problems.add("device " + where(n, d) + ": MTU " + mtu + " is not its ports' smallest MTU, " + min
                        + " (" + smallest.name + "'s): the kernel sets a bridge's MTU to its ports' smallest as each"
                        + " is added, and would take it to " + min + " (give the bridge mtu(" + min + "), or its ports"
                        + " MTU " + mtu + ")");
            }
        } else if (d.kind == Kind.MACVLAN) {
            Drafts.Dev real = realLower(n, d);
            int lower = mtuOf(n, real, 0);
            if (lower > 0 && mtu > lower) {
                problems.add("device " + where(n, d) + ": MTU " + mtu + " is above its lower device " + real.name
                        + "'s MTU " + lower + " (the kernel would refuse it: EINVAL)");
            }
        }
    }
}
