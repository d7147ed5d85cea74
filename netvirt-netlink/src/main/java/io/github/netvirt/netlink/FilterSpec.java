package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netns.internal.Require;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What {@code tc filter add|del} takes. The classifier offered is u32 matching every frame
 * ({@code u32 match u32 0 0}), with {@code mirred} actions:
 *
 * <pre>
 * h.qdiscAdd(QdiscSpec.ingress("p0"));
 * // tc filter add dev p0 parent ffff: protocol all prio 1 u32 match u32 0 0 action mirred egress mirror dev mon0
 * h.filterAdd(FilterSpec.u32MatchAll("p0").parent(TcHandle.INGRESS_QDISC).priority(1).mirredEgressMirror("mon0"));
 * </pre>
 *
 * <p>The defaults are those of the example: parent {@code ffff:} (the ingress qdisc), protocol all,
 * priority 0 (the kernel picks one). For {@link NetlinkHandle#filterDel} the spec names the filters to
 * remove by device, parent, priority and protocol; its actions are not sent. A delete with priority 0
 * removes every filter of the parent, whatever its protocol ({@code tc filter del dev D parent P}).
 */
public final class FilterSpec {
    final LinkRef link;
    int parent = TcHandle.INGRESS_QDISC;
    int priority;
    int protocol = Nl.ETH_P_ALL;
    int handle;
    final List<Action> actions = new ArrayList<>();

    /** One mirred action: its {@code TCA_*_MIRROR/REDIR}, target and cookie ({@code ""}: none). */
    static final class Action {
        final int eaction;
        final LinkRef target;
        String cookie = "";

        Action(int eaction, LinkRef target) {
            this.eaction = eaction;
            this.target = target;
        }

        @Override
        public String toString() {
            String what = switch (eaction) {
                case Nl.TCA_EGRESS_MIRROR -> "egress mirror";
                case Nl.TCA_EGRESS_REDIR -> "egress redirect";
                case Nl.TCA_INGRESS_MIRROR -> "ingress mirror";
                default -> "ingress redirect";
            };
            return "mirred " + what + " dev " + target + (cookie.isEmpty() ? "" : " cookie " + cookie);
        }
    }

    private FilterSpec(LinkRef link) {
        this.link = link;
    }

    /** A u32 filter on {@code dev} matching every frame. */
    public static FilterSpec u32MatchAll(String dev) {
        return new FilterSpec(LinkRef.of(dev));
    }

    public static FilterSpec u32MatchAll(int index) {
        return new FilterSpec(LinkRef.of(index));
    }

    public String kind() {
        return "u32";
    }

    /** {@code parent}: the qdisc (or class) the filter hangs on; {@link TcHandle#INGRESS_QDISC} by default. */
    public FilterSpec parent(int parent) {
        if (parent == TcHandle.UNSPEC) {
            throw new IllegalArgumentException("a filter needs a parent qdisc");
        }
        this.parent = parent;
        return this;
    }

    /** {@code prio}/{@code pref}: 1..65535; 0 (the default) lets the kernel choose. */
    public FilterSpec priority(int priority) {
        this.priority = Require.inRange(priority, 0, 0xffff, "filter priority");
        return this;
    }

    /**
     * {@code handle}: for {@link NetlinkHandle#filterDel}, one filter of the priority (a u32 node
     * {@code 800::800}, as {@link NetlinkHandle#filterCreate} returned it) instead of all of them; 0
     * (the default) names them all, and lets the kernel choose one for an add.
     */
    public FilterSpec handle(int handle) {
        this.handle = handle;
        return this;
    }

    /** {@code protocol}: the ethertype to match (host order, e.g. 0x0800); {@code ETH_P_ALL} (3) by default. */
    public FilterSpec protocol(int ethertype) {
        this.protocol = Require.inRange(ethertype, 1, 0xffff, "ethertype");
        return this;
    }

    /** {@code action mirred egress mirror dev TARGET}: a copy of each frame leaves through {@code target}. */
    public FilterSpec mirredEgressMirror(String target) {
        return action(Nl.TCA_EGRESS_MIRROR, LinkRef.of(target));
    }

    public FilterSpec mirredEgressMirror(int targetIndex) {
        return action(Nl.TCA_EGRESS_MIRROR, LinkRef.of(targetIndex));
    }

    /** {@code action mirred egress redirect dev TARGET}: each frame leaves through {@code target} instead. */
    public FilterSpec mirredEgressRedirect(String target) {
        return action(Nl.TCA_EGRESS_REDIR, LinkRef.of(target));
    }

    public FilterSpec mirredEgressRedirect(int targetIndex) {
        return action(Nl.TCA_EGRESS_REDIR, LinkRef.of(targetIndex));
    }

    /**
     * {@code action mirred ingress redirect dev TARGET}: each frame is received by {@code target}
     * instead, as if it had arrived on it.
     */
    public FilterSpec mirredIngressRedirect(String target) {
        return action(Nl.TCA_INGRESS_REDIR, LinkRef.of(target));
    }

    public FilterSpec mirredIngressRedirect(int targetIndex) {
        return action(Nl.TCA_INGRESS_REDIR, LinkRef.of(targetIndex));
    }

    /**
     * {@code cookie HEX}: the cookie of the action added last, 1 to 16 bytes in hex, which the kernel
     * keeps with the action and reports in {@link Filter.Mirred#cookie()}: a mark that tells a filter
     * its maker added from one like it that someone else did (netvirt-faults marks its mirrors so).
     *
     * @throws IllegalStateException if no action was added yet
     * @throws IllegalArgumentException if {@code hex} is not an even number of 2 to 32 hex digits
     */
    public FilterSpec cookie(String hex) {
        if (actions.isEmpty()) {
            throw new IllegalStateException("a cookie belongs to an action: add the action first");
        }
        actions.get(actions.size() - 1).cookie = checkCookie(hex);
        return this;
    }

    /**
     * A cookie no one else's action carries: 16 random bytes in hex, for {@link #cookie}. With it a
     * filter's maker tells its filter from one like it (the kernel numbers the u32 nodes of every new
     * qdisc from {@code 800::800} again), at a heal and at a cleanup after a crash.
     */
    public static String newCookie() {
        byte[] b = new byte[Nl.TC_COOKIE_MAX_SIZE];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** {@code hex} in lower case, when it is an even number of 2 to 32 hex digits. */
    static String checkCookie(String hex) {
        int n = hex.length();
        if (n < 2 || n > 2 * Nl.TC_COOKIE_MAX_SIZE || n % 2 != 0) {
            throw new IllegalArgumentException(
                    "an action cookie is 1 to " + Nl.TC_COOKIE_MAX_SIZE + " bytes in hex: " + hex);
        }
        for (int i = 0; i < n; i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                throw new IllegalArgumentException("an action cookie is hex digits: " + hex);
            }
        }
        return hex.toLowerCase(Locale.ROOT);
    }

    private FilterSpec action(int eaction, LinkRef target) {
        if (actions.size() >= 32) {
            throw new IllegalArgumentException("at most 32 actions per filter (TCA_ACT_MAX_PRIO)");
        }
        actions.add(new Action(eaction, target));
        return this;
    }

    @Override
    public String toString() {
        String proto = protocol == Nl.ETH_P_ALL ? "all" : "0x" + Integer.toHexString(protocol);
        StringBuilder sb =
                new StringBuilder("dev " + link + " parent " + TcHandle.format(parent) + " protocol " + proto);
        if (priority != 0) {
            sb.append(" prio ").append(priority);
        }
        if (handle != 0) {
            sb.append(" handle 0x").append(Integer.toHexString(handle));
        }
        sb.append(" u32 match all");
        for (Action a : actions) {
            sb.append(" action ").append(a);
        }
        return sb.toString();
    }
}
