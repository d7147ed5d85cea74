package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A route's metrics ({@code RTA_METRICS}), what {@code ip route} shows after the route: {@code mtu
 * 1400 advmss 1360 hoplimit 9 initcwnd 20 congctl reno ...}. Immutable; each {@code with} returns a
 * new value.
 *
 * @param values {@code RTAX_*} to its u32 value (as the kernel, 0 is unset and not kept); {@code
 *     RTAX_LOCK} (1) is the bitmap of the locked metrics ({@code mtu lock 1400}: bit {@code
 *     1 << RTAX_MTU})
 * @param congestionControl {@code RTAX_CC_ALGO} ({@code congctl}), a TCP congestion control's name;
 *     null when none
 */
public record RouteMetrics(SortedMap<Integer, Integer> values, String congestionControl) {
    /** No metrics. */
    public static final RouteMetrics NONE = new RouteMetrics(new TreeMap<>(), null);

    public RouteMetrics {
        TreeMap<Integer, Integer> copy = new TreeMap<>();
        for (Map.Entry<Integer, Integer> e : values.entrySet()) {
            checkType(e.getKey());
            if (e.getValue() != 0) {
                copy.put(e.getKey(), e.getValue());
            }
        }
        values = Collections.unmodifiableSortedMap(copy);
        if (congestionControl != null && congestionControl.isEmpty()) {
            throw new IllegalArgumentException("congctl: empty name");
        }
    }

    private static void checkType(int type) {
        // RTAX_CC_ALGO is a name, not a u32; the kernel refuses types above its RTAX_MAX with EINVAL
        if (type < 1 || type > 255 || type == Nl.RTAX_CC_ALGO) {
            throw new IllegalArgumentException("RTAX type " + type + " is not a u32 metric (1..255 but 16)");
        }
    }

    /** These metrics with {@code RTAX_*} {@code type} set to {@code value} (u32; 0 unsets it). */
    public RouteMetrics with(int type, int value) {
        checkType(type);
        TreeMap<Integer, Integer> v = new TreeMap<>(values);
        v.put(type, value);
        return new RouteMetrics(v, congestionControl);
    }

    /** These metrics with {@code congctl NAME} (null unsets it). */
    public RouteMetrics withCongestionControl(String name) {
        return new RouteMetrics(values, name);
    }

    /** The value of {@code RTAX_*} {@code type}, 0 when unset. */
    public int get(int type) {
        return values.getOrDefault(type, 0);
    }

    /** The path MTU ({@code RTAX_MTU}), 0 when unset. */
    public int mtu() {
        return get(Nl.RTAX_MTU);
    }

    public boolean isEmpty() {
        return values.isEmpty() && congestionControl == null;
    }

    private static final String[] NAMES = {
        null,
        "lock",
        "mtu",
        "window",
        "rtt",
        "rttvar",
        "ssthresh",
        "cwnd",
        "advmss",
        "reordering",
        "hoplimit",
        "initcwnd",
        "features",
        "rto_min",
        "initrwnd",
        "quickack",
        "congctl",
        "fastopen_no_cookie"
    };

    /** As iproute2 prints them, unknown types as {@code rtaxN}, values raw as the kernel reports them. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        values.forEach((type, value) -> {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(type < NAMES.length ? NAMES[type] : "rtax" + type)
                    .append(' ')
                    .append(Integer.toUnsignedString(value));
        });
        if (congestionControl != null) {
            sb.append(sb.length() > 0 ? " " : "").append("congctl ").append(congestionControl);
        }
        return sb.toString();
    }
}
