package io.github.netvirt.core;

import io.github.netvirt.core.spec.LinkCondition;
import io.github.netvirt.netlink.Filter;
import io.github.netvirt.netlink.FilterSpec;
import io.github.netvirt.netlink.Link;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.Qdisc;
import io.github.netvirt.netlink.QdiscSpec;
import io.github.netvirt.netlink.TbfSpec;
import io.github.netvirt.netlink.TcHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.EachOf;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.tap.DeviceKind;
import io.github.netvirt.tap.impair.Impairment;
import io.github.netvirt.tap.impair.RelayStats;
import io.github.netvirt.tap.impair.TapRelay;
import io.github.netvirt.tap.impair.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;

/**
 * A {@link LinkCondition} in force on a veth pair (ends A and B), until {@link #heal()}. Made by
 * {@link TopologyBuilder#apply()} for the conditions declared with the link and by
 * {@link Topology#condition} on a live link; {@link Topology#close()} heals those still active.
 *
 * <p>How, in order of preference:
 * <ul>
 *   <li>rate only: a {@code tbf} root qdisc on each end;</li>
 *   <li>delay, jitter or loss where the kernel has {@code netem}: a {@code netem} root qdisc on each
 *       end (under a {@code tbf} when there is a rate too);</li>
 *   <li>otherwise (this project's kernel and many CI kernels) a seeded relay in this JVM
 *       ({@link TapRelay}, netvirt-tap): a TAP device next to each end, with the end's MAC; a
 *       {@code clsact} qdisc on each end redirects its egress into its TAP ({@code mirred egress
 *       redirect}), the relay delays or drops each frame and writes it to the other side's TAP,
 *       whose {@code clsact} ingress hook hands it to the other end as received
 *       ({@code mirred ingress redirect}); the rate is a {@code tbf} on each TAP. The ends keep their
 *       names, addresses, routes and MACs; the only visible addition is the TAP next to each (named
 *       {@code nvcN}, no address, IPv6 off). Unlike netem, the loss and jitter decisions replay from
 *       the condition's seed: the n-th IP frame of a direction meets the same fate in every run.</li>
 * </ul>
 * The relay lives in netvirt-tap rather than in netvirt-faults so that netvirt-core can apply the
 * conditions a topology declares without depending on the module above it; netvirt-faults wraps a
 * live condition as a {@code Fault}.
 *
 * <p>{@link #heal()} removes what the condition added, not whatever the ends carry by then. A
 * {@code tbf} or {@code netem} root qdisc is deleted only while it still has the handle and kind the
 * kernel reported when it was added ({@link NetlinkHandle#qdiscCreate},
 * {@link NetlinkHandle#qdiscDelIfSame}): a root qdisc someone put in its place ({@code tc qdisc
 * replace dev END root handle 1: htb ...}, or a del and an add) stays. The root qdisc's handle is
 * chosen here, at random among those the kernel would choose ({@code 8000:} to {@code fffe:}; with a
 * rate, netem is its child {@code 10:}), and given in the add, so a root qdisc already on an end
 * (someone else's, another fault's) is refused (EEXIST), never replaced. The relay's {@code clsact} qdisc on an end always has the handle
 * {@code ffff:}, so the proof is the egress filter the relay added on it (priority, the kernel's u32
 * handle, and the random cookie its action carries, {@link FilterSpec#newCookie}, whatever the
 * redirect's target is now: a clsact deleted and added again by someone else with a filter like the
 * relay's numbers it {@code 800::800} again; the kernel reports the target as ifindex 0 once its TAP
 * is gone): the heal deletes the clsact only while it holds that
 * filter and nothing else (no filter on its ingress hook, no other egress filter), only the relay's
 * filter when it holds others too, and nothing when the relay's filter is gone.
 *
 * <p>A link takes one condition at a time: the topology refuses a second on either end before
 * anything changes ({@link Topology#condition}), whatever the kernel would say (it takes a root
 * {@code tbf} beside a relay's {@code clsact}, which the redirect bypasses).
 *
 * <p>{@link #toScript()} gives what was built as {@code tc} commands. Thread-safe; {@code heal()}
 * is idempotent once it returned, and a heal that threw is tried again by the next.
 */
public final class ConditionedLink implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ConditionedLink.class.getName());

    /** How a condition is carried out. */
    public enum Mode {
        /** a {@code tbf} on each end. */
        TBF,
        /** {@code netem} (and {@code tbf}) on each end. */
        NETEM,
        /** the userspace relay between two TAP devices, with tc {@code mirred} redirects. */
        RELAY
    }

    /** The two directions: from end A (the one the condition names) to its peer B, and back. */
    public enum Direction {
        A_TO_B,
        B_TO_A
    }

    /** Whether the kernel has {@code netem}: null until the first condition that needs it finds out. */
    private static volatile Boolean netem;

    private final LinkCondition condition;
    private final Mode mode;
    private final End a;
    private final End b;
    private final TapRelay relay;
    private final List<String> commands;
    private volatile Runnable onHeal;
    /** Guarded by {@code this}: until a heal returns (or {@link #keep()}). */
    private boolean active = true;
    /** Guarded by {@code this}: the ends whose additions no heal has removed yet. */
    private final List<End> steered = new ArrayList<>();

    /**
     * One end: its namespace (and the name scripts show for it), device name and ifindex, and once the
     * condition is on it, the qdisc it added there as the kernel reported it (the root {@code tbf} or
     * {@code netem}, or the relay's {@code clsact}) with, for the relay, the egress redirect filter on
     * it. Every request goes by the ifindex: while the topology holds the namespace open, it names the
     * device the condition was put on, not one made since under the same name.
     */
    private record End(NetNamespace ns, Where where, String dev, int index, Qdisc qdisc, Filter redirect) {
        End(NetNamespace ns, Where where, String dev, int index) {
            this(ns, where, dev, index, null, null);
        }

        End with(Qdisc added, Filter filter) {
            return new End(ns, where, dev, index, added, filter);
        }

        String tc(String rest) {
            return where.tc() + rest;
        }
    }

    /**
     * How scripts name a namespace: {@code label} in comments, and the prefixes that run {@code ip}
     * and {@code tc} in it ({@code tc -n NAME }, {@code nsenter -t PID -n tc }, {@code tc } in the
     * root namespace), as the topology's script does.
     */
    record Where(String label, String ip, String tc) {}

    private ConditionedLink(LinkCondition condition, Mode mode, End a, End b, TapRelay relay, List<String> commands) {
        this.condition = condition;
        this.mode = mode;
        this.a = a;
        this.b = b;
        this.relay = relay;
        this.commands = List.copyOf(commands);
        this.steered.addAll(List.of(a, b));
    }

    /** The ifindexes of the relay's TAPs beside end a and end b, in their namespaces; null without a relay. */
    int[] relayTapIndexes() {
        return relay == null ? null : new int[] {relay.indexA(), relay.indexB()};
    }

    /**
     * Puts {@code condition} on the veth pair {@code la} (in {@code nsA}) / {@code lb} (in
     * {@code nsB}), the links as the caller found them (by ifindex from now on). {@code whereA} and
     * {@code whereB} name the namespaces in {@link #toScript()}; a relay's TAP beside each end is made
     * with the ifindex {@code tapIndexA} or {@code tapIndexB} gives, asked only for a relay (0: the
     * kernel chooses).
     *
     * @throws IllegalArgumentException if the condition is empty
     * @throws NetlinkException EEXIST naming the end when an end has a root qdisc of its own (a rate
     *         limit, a program's), before anything is added, or, for a relay, a clsact or ingress qdisc
     *         (another condition's relay, a mirror); nothing is left behind
     */
    static ConditionedLink open(
            NetNamespace nsA,
            Where whereA,
            Link la,
            NetNamespace nsB,
            Where whereB,
            Link lb,
            LinkCondition condition,
            IntSupplier tapIndexA,
            IntSupplier tapIndexB) {
        Objects.requireNonNull(condition, "condition");
        if (condition.bitsPerSecond() == 0 && !condition.impairs()) {
            throw new IllegalArgumentException("the link condition is empty: give a rate, delay, jitter or loss");
        }
        try (NetlinkHandle ha = NetlinkHandle.open(nsA);
                NetlinkHandle hb = NetlinkHandle.open(nsB)) {
            End a = new End(nsA, whereA, la.name(), la.index());
            End b = new End(nsB, whereB, lb.name(), lb.index());
            refuseOwnRootQdisc(ha, a);
            refuseOwnRootQdisc(hb, b);
            if (!condition.impairs()) {
                return tbfOnEnds(ha, a, hb, b, condition);
            }
            if (!Boolean.FALSE.equals(netem)) {
                ConditionedLink made = netemOnEnds(ha, a, hb, b, condition);
                if (made != null) {
                    return made;
                }
            }
            return relay(ha, a, la, tapIndexA, hb, b, lb, tapIndexB, condition);
        }
    }

    private static ConditionedLink tbfOnEnds(NetlinkHandle ha, End a, NetlinkHandle hb, End b, LinkCondition c) {
        List<String> cmds = new ArrayList<>();
        int ha0 = rootHandle();
        Qdisc qa = ha.qdiscCreate(tbf(QdiscSpec.tbf(a.index), c).handle(ha0));
        cmds.add(a.tc("qdisc add dev " + a.dev + " root handle " + TcHandle.format(ha0) + " " + tbfText(c)));
        Qdisc qb;
        try {
            int hb0 = rootHandle();
            qb = hb.qdiscCreate(tbf(QdiscSpec.tbf(b.index), c).handle(hb0));
            cmds.add(b.tc("qdisc add dev " + b.dev + " root handle " + TcHandle.format(hb0) + " " + tbfText(c)));
        } catch (RuntimeException e) {
            ha.qdiscDelIfSame(qa);
            throw e;
        }
        return new ConditionedLink(c, Mode.TBF, a.with(qa, null), b.with(qb, null), null, cmds);
    }

    /** Null (and remembered) when the kernel has no netem; throws for any other refusal. */
    private static ConditionedLink netemOnEnds(NetlinkHandle ha, End a, NetlinkHandle hb, End b, LinkCondition c) {
        List<String> cmds = new ArrayList<>();
        Qdisc qa;
        try {
            qa = netem(ha, a, c, cmds);
        } catch (NetlinkException e) {
            if (e.is(Errno.ENOENT)) { // sch_netem missing: "Error: Specified qdisc kind is unknown."
                netem = false; // netem() took back what it added: the root qdisc there now is not ours
                return null;
            }
            throw e;
        }
        netem = true;
        Qdisc qb;
        try {
            qb = netem(hb, b, c, cmds);
        } catch (RuntimeException e) {
            ha.qdiscDelIfSame(qa);
            throw e;
        }
        return new ConditionedLink(c, Mode.NETEM, a.with(qa, null), b.with(qb, null), null, cmds);
    }

    /** Puts netem (under a tbf with a rate) on {@code e}; returns the root qdisc added, as the kernel made it. */
    private static Qdisc netem(NetlinkHandle h, End e, LinkCondition c, List<String> cmds) {
        String netemText = "netem delay " + ms(c.delay()) + (c.jitter().isZero() ? "" : " " + ms(c.jitter()))
                + (c.loss() > 0 ? " loss " + c.loss() * 100 + "%" : "");
        var spec = QdiscSpec.netem(e.index)
                .delay(c.delay(), c.jitter())
                .loss(c.loss())
                .limit(1000);
        int handle = rootHandle();
        String major = TcHandle.format(handle);
        if (c.bitsPerSecond() > 0) {
            Qdisc root = h.qdiscCreate(tbf(QdiscSpec.tbf(e.index), c).handle(handle));
            cmds.add(e.tc("qdisc add dev " + e.dev + " root handle " + major + " " + tbfText(c)));
            try {
                h.qdiscAdd(spec.parent(TcHandle.of(TcHandle.major(handle), 1)).handle(TcHandle.of(10, 0)));
            } catch (RuntimeException x) {
                h.qdiscDelIfSame(root); // the tbf just added
                throw x;
            }
            cmds.add(e.tc("qdisc add dev " + e.dev + " parent " + major + "1 handle 10: " + netemText));
            return root;
        }
        Qdisc root = h.qdiscCreate(spec.handle(handle));
        cmds.add(e.tc("qdisc add dev " + e.dev + " root handle " + major + " " + netemText));
        return root;
    }

    /**
     * A root qdisc handle of a major the kernel would choose itself ({@code 8000:} to {@code fffe:}),
     * at random. A root qdisc added without a handle takes the place of one someone else put there
     * (Linux 6.18 grafts it over a root qdisc of another kind, {@code NLM_F_EXCL} or not); with a
     * handle the kernel refuses it (EEXIST) while any root qdisc is there.
     */
    private static int rootHandle() {
        return TcHandle.of(
                TcHandle.FIRST_AUTO_MAJOR + ThreadLocalRandom.current().nextInt(TcHandle.AUTO_MAJORS), 0);
    }

    private static ConditionedLink relay(
            NetlinkHandle ha,
            End a,
            Link la,
            IntSupplier tapIndexA,
            NetlinkHandle hb,
            End b,
            Link lb,
            IntSupplier tapIndexB,
            LinkCondition c) {
        refuseAboveTapMtu(a, la, c);
        refuseAboveTapMtu(b, lb, c);
        List<String> cmds = new ArrayList<>();
        Impairment imp = c.impairment();
        TapRelay r = TapRelay.open(
                new TapRelay.Side(a.ns, "nvc%d", tapIndexA.getAsInt()),
                new TapRelay.Side(b.ns, "nvc%d", tapIndexB.getAsInt()),
                Math.max(la.mtu(), lb.mtu()),
                imp,
                imp,
                c.seed());
        End steeredA = null;
        try {
            cmds.add("# a relay in the JVM (seed " + c.seed() + ") copies frames between " + a.where.label() + "/"
                    + r.deviceA() + " and " + b.where.label() + "/" + r.deviceB() + " with, each way: " + imp);
            steeredA = steer(ha, a, la, r.deviceA(), r.indexA(), c, cmds);
            End steeredB = steer(hb, b, lb, r.deviceB(), r.indexB(), c, cmds); // takes back its own on failure
            return new ConditionedLink(c, Mode.RELAY, steeredA, steeredB, r, cmds);
        } catch (RuntimeException e) {
            if (steeredA != null) {
                unsteer(ha, steeredA);
            }
            r.close();
            throw e;
        }
    }

    /** Refuses a relay on an end whose MTU is above a TAP's maximum, which the relay's TAPs could not take. */
    private static void refuseAboveTapMtu(End e, Link l, LinkCondition c) {
        int max = DeviceKind.TAP.maxMtu();
        if (l.mtu() > max) {
            throw new IllegalArgumentException("link condition " + c + ": " + e.where.label() + "/" + e.dev
                    + "'s MTU " + l.mtu() + " is above a tap's maximum " + max + ": without netem in the kernel a"
                    + " delay, jitter or loss runs through a relay of two taps, which cannot carry its frames (give"
                    + " the pair MTU " + max + " or less, or a rate alone)");
        }
    }

    /**
     * Refuses, before anything is added, a condition on an end with a root qdisc of its own (not the
     * kernel's default; a rate limit, a program's): the kernel refuses a netem or tbf beside it with a
     * bare EEXIST naming the device by ifindex alone, and takes a relay's clsact, whose egress redirect
     * would then silently bypass it.
     */
    private static void refuseOwnRootQdisc(NetlinkHandle h, End end) {
        h.qdiscRefuseIfAny(
                end.index,
                q -> q.isRoot() && q.handle() != 0,
                end.dev + " in " + end.ns + " has a root qdisc of its own, which a link condition would"
                        + " replace or bypass (delete it first)");
    }

    /**
     * Sends what {@code end} transmits into its TAP, and what the relay writes to the TAP into
     * {@code end} as received. The TAP takes the end's MAC: a frame received on the TAP is classified
     * (host, other host) against the TAP's own address before the redirect, and the end's stack
     * drops frames classified as for another host.
     */
    private static End steer(
            NetlinkHandle h, End end, Link link, String tap, int tapIndex, LinkCondition c, List<String> cmds) {
        link.macAddress().ifPresent(mac -> {
            h.linkSetMac(tapIndex, mac);
            cmds.add(end.where.ip() + "link set dev " + tap + " address " + mac);
        });
        if (c.bitsPerSecond() > 0) {
            h.qdiscAdd(tbf(QdiscSpec.tbf(tapIndex), c));
            cmds.add(end.tc("qdisc add dev " + tap + " root " + tbfText(c)));
        }
        h.qdiscAdd(QdiscSpec.clsact(tapIndex));
        cmds.add(end.tc("qdisc add dev " + tap + " clsact"));
        h.filterAdd(FilterSpec.u32MatchAll(tapIndex)
                .parent(TcHandle.CLSACT_INGRESS)
                .priority(1)
                .mirredIngressRedirect(link.index()));
        cmds.add(end.tc("filter add dev " + tap
                + " ingress protocol all prio 1 u32 match u32 0 0 action mirred ingress redirect dev " + end.dev));
        Qdisc clsact;
        try {
            clsact = h.qdiscCreate(QdiscSpec.clsact(end.index));
        } catch (NetlinkException e) {
            throw e.isExists()
                    ? e.withRequest(e.request() + ": " + end.dev + " in " + end.ns
                            + " has an ingress or clsact qdisc already (another link condition's relay, a"
                            + " PortMirror, or a program's)")
                    : e;
        }
        String mark = FilterSpec.newCookie();
        Filter redirect;
        try {
            redirect = h.filterCreate(FilterSpec.u32MatchAll(end.index)
                    .parent(TcHandle.CLSACT_EGRESS)
                    .priority(1)
                    .mirredEgressRedirect(tapIndex)
                    .cookie(mark));
        } catch (RuntimeException e) {
            h.qdiscDelIfSame(clsact);
            throw e;
        }
        cmds.add(end.tc("qdisc add dev " + end.dev + " clsact"));
        cmds.add(end.tc("filter add dev " + end.dev
                + " egress protocol all prio 1 u32 match u32 0 0 action mirred egress redirect dev " + tap
                + " cookie " + mark));
        return end.with(clsact, redirect);
    }

    /**
     * Takes the relay's redirect off {@code end}: its clsact qdisc if that still holds the relay's
     * egress filter and nothing else, only the filter when someone added filters of their own to it,
     * nothing when the filter is gone (the clsact deleted, or replaced by someone else's).
     */
    private static boolean unsteer(NetlinkHandle h, End end) {
        return h.filterDelWithQdiscIfSame(end.qdisc, end.redirect, TcHandle.CLSACT_INGRESS);
    }

    /** tbf with the bucket and queue of a rate asked for alone ({@link TbfSpec#rateWithDefaults}). */
    private static TbfSpec tbf(TbfSpec s, LinkCondition c) {
        return s.rateWithDefaults(c.bitsPerSecond());
    }

    /**
     * The tc words of {@link #tbf}: the latency, or the limit it gives where that passes the kernel's
     * u32 (from some 676 Gbit/s), which tc would wrap and netvirt sends as 4294967295.
     */
    static String tbfText(LinkCondition c) {
        long bits = c.bitsPerSecond();
        TbfSpec t = QdiscSpec.tbf(1).rateWithDefaults(bits);
        String queue = t.limitBytes() == 0xffffffffL
                ? "limit " + t.limitBytes()
                : "latency " + TbfSpec.DEFAULT_LATENCY.toMillis() + "ms";
        return "tbf rate " + bits + "bit burst " + t.burstBytes() + " " + queue;
    }

    private static String ms(Duration d) {
        return d.toNanos() / 1000 + "us";
    }

    /** Whether this kernel has netem, as the first condition with a delay, jitter or loss found out; null before. */
    static Boolean netem() {
        return netem;
    }

    /** Runs {@code r} when a heal returns (the topology's: drops the condition from its list). */
    void onHeal(Runnable r) {
        this.onHeal = r;
    }

    /** Whether one of its ends is in namespace {@code ns}. */
    boolean hasEndIn(NetNamespace ns) {
        return a.ns == ns || b.ns == ns;
    }

    /**
     * Whether one of its ends is the device of ifindex {@code index} in namespace {@code ns}: the
     * device it was put on, not one made since under the same name.
     */
    boolean isOn(NetNamespace ns, int index) {
        return a.ns == ns && a.index == index || b.ns == ns && b.index == index;
    }

    /**
     * Drops the condition if an end of it in {@code ns} is gone (its ifindex names no device there, as
     * {@code h}, a handle in {@code ns}, finds): the veth deleted took its peer and every qdisc and
     * filter the condition added to them, so nothing is left to heal but the relay, which stops.
     * Counted healed then. Returns whether it dropped it.
     */
    synchronized boolean dropIfEndGone(NetNamespace ns, NetlinkHandle h) {
        if (!active || !(a.ns == ns && !h.linkExists(a.index) || b.ns == ns && !h.linkExists(b.index))) {
            return false;
        }
        steered.clear();
        healed();
        return true;
    }

    /**
     * The end beside which this condition's relay put its TAP {@code tap} in namespace {@code ns}, as
     * {@code NS/DEV}, or null when the relay has no TAP of that name there (or there is no relay).
     */
    String endBesideRelayTap(NetNamespace ns, String tap) {
        if (relay == null) {
            return null;
        }
        if (a.ns == ns && relay.deviceA().equals(tap)) {
            return a.where.label() + "/" + a.dev;
        }
        return b.ns == ns && relay.deviceB().equals(tap) ? b.where.label() + "/" + b.dev : null;
    }

    public LinkCondition condition() {
        return condition;
    }

    public Mode mode() {
        return mode;
    }

    /**
     * Every loss and delay decision so far in direction {@code d} (up to the first million), in
     * order: the relay's, so empty unless {@link #mode()} is {@link Mode#RELAY}.
     */
    public List<Verdict> verdicts(Direction d) {
        return relay == null ? List.of() : relay.verdicts(map(d));
    }

    /** The relay's counters for direction {@code d}, or null unless {@link #mode()} is {@link Mode#RELAY}. */
    public RelayStats stats(Direction d) {
        return relay == null ? null : relay.stats(map(d));
    }

    private static TapRelay.Direction map(Direction d) {
        return d == Direction.A_TO_B ? TapRelay.Direction.A_TO_B : TapRelay.Direction.B_TO_A;
    }

    /** What was built, as {@code tc}/{@code ip} commands (and a comment for the relay), one a line. */
    public String toScript() {
        return String.join("\n", commands) + "\n";
    }

    public synchronized boolean isActive() {
        return active;
    }

    /**
     * Removes the condition: the qdiscs and filters it added to the ends, if they are still there (by
     * the handles the kernel gave them, see the class comment: a root or clsact qdisc someone put in
     * their place stays, and a warning is logged), then in relay mode the relay and its TAP devices
     * (frames in flight are dropped). The ends stay as they are otherwise.
     * A namespace already gone is skipped, and so is an end device gone: the ends are the devices the
     * condition was put on (by ifindex), never another made since under the same name. Does nothing
     * once {@link Topology#detach()} has left the condition to the kernel.
     *
     * <p>Healed once a heal returns: later calls do nothing. A heal that throws leaves the condition
     * active, and in the topology's care (its close heals it): the next heal tries again the ends whose
     * removal failed, not those already done, and the relay runs until no end redirects into it any
     * more. A heal holds the condition's lock throughout: one racing it (the topology's close) waits,
     * then returns or tries again.
     *
     * @throws NetlinkException if the kernel refuses a removal (the other end is still done)
     */
    public synchronized void heal() {
        if (!active) {
            return;
        }
        EachOf.release(List.copyOf(steered), e -> {
            removeFrom(e);
            steered.remove(e);
        });
        healed(); // no end redirects into the relay's TAP any more
    }

    /** Stops the relay, if any, and counts the condition healed: it leaves the topology's list. */
    private void healed() {
        if (relay != null) {
            relay.close();
        }
        active = false;
        Runnable r = onHeal;
        if (r != null) {
            r.run();
        }
    }

    /** Takes what the condition added off {@code e}, if still there; a warning when it is not the condition's. */
    private void removeFrom(End e) {
        if (!e.ns.isOpen()) {
            return;
        }
        boolean removed;
        try (NetlinkHandle h = NetlinkHandle.open(e.ns)) {
            removed = mode == Mode.RELAY
                    ? unsteer(h, e) // first, so the end carries traffic again before its TAP goes
                    : h.qdiscDelIfSame(e.qdisc);
        }
        if (!removed) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "{0}: left alone on {1}/{2}: the {3} the condition added is gone, or another is in its place",
                    this,
                    e.where.label(),
                    e.dev,
                    mode == Mode.RELAY ? "clsact redirect filter" : e.qdisc.kind() + " qdisc");
        }
    }

    /**
     * Stops the relay, if any, whether or not an end still redirects into its TAP (what that end sends
     * is then lost): for a topology's close after a heal that threw, whose namespaces the relay's TAPs
     * would keep alive. The condition stays active; a heal still takes what is left off the ends.
     */
    void stopRelay() {
        if (relay != null) {
            relay.close();
        }
    }

    /**
     * Lets go of the condition without removing it, for {@link Topology#detach()}: the kernel carries
     * it on with the network, and {@link #heal()} does nothing from now on. Not for the relay, which
     * ends with this JVM.
     */
    synchronized void keep() {
        if (mode == Mode.RELAY) {
            throw new IllegalStateException("the relay of " + this + " ends with this JVM");
        }
        active = false;
    }

    /** The same as {@link #heal()}. */
    @Override
    public void close() {
        heal();
    }

    @Override
    public String toString() {
        return "ConditionedLink[" + a.where.label() + "/" + a.dev + " <-> " + b.where.label() + "/" + b.dev + ": "
                + condition + " (" + mode.name().toLowerCase(Locale.ROOT) + ")" + (isActive() ? "]" : ", healed]");
    }
}
