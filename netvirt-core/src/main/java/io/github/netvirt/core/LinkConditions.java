package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.Kind;
import io.github.netvirt.core.spec.LinkCondition;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.Link;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.sys.Errno;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Applies link conditions to a topology's veth pairs and keeps them in its {@link Resources}. */
final class LinkConditions {
    private LinkConditions() {}

    /**
     * The conditions declared with the links of {@code plan}, once every device exists and is up.
     *
     * @throws StepFailure naming the condition the kernel refused as a step ({@link #steps})
     */
    static void applyDeclared(Plan plan, Resources res) {
        for (Step s : steps(plan)) {
            try {
                s.op().carryOut(new Op.Unplanned(res, null, null));
            } catch (RuntimeException e) {
                throw new StepFailure(s, e);
            }
        }
    }

    /** A step for each condition declared with {@code plan}'s links, numbered on after the plan's. */
    static List<Step> steps(Plan plan) {
        List<Step> out = new ArrayList<>();
        for (NamespaceSpec n : plan.spec().namespaces()) {
            for (DeviceSpec d : n.devices()) {
                if (d.condition() != null) {
                    out.add(new Step(plan.steps().size() + out.size(), Set.of(), new ConditionStep(plan.spec(), d)));
                }
            }
        }
        return out;
    }

    static ConditionedLink apply(TopologySpec spec, DeviceSpec d, LinkCondition condition, Resources res) {
        if (d.kind() != Kind.VETH) {
            throw new IllegalArgumentException(
                    d.qualifiedName() + " is a " + d.kind().iproute2() + ": link conditions apply to veth ends");
        }
        NetNamespace a = host(res, d.ns());
        NetNamespace b = host(res, d.peerNs());
        // in the root and adopted namespaces the names could be someone else's devices by now
        Link la = res.ownLink(spec, d.ns(), d.name());
        Link lb = res.ownLink(spec, d.peerNs(), d.peerName());
        LinkCondition seeded = seeded(d, condition);
        Claim claim = claim(res, new Claim(a, la.index(), b, lb.index(), describe(d, seeded)));
        try {
            ConditionedLink c;
            try {
                c = ConditionedLink.open(
                        a,
                        where(spec, d.ns()),
                        la,
                        b,
                        where(spec, d.peerNs()),
                        lb,
                        seeded,
                        () -> res.nextIfindex(d.ns()),
                        () -> res.nextIfindex(d.peerNs()));
            } catch (NetlinkException e) {
                throw e.isExists() ? e.withRequest("link condition " + claim.what() + ": " + e.request()) : e;
            }
            res.conditions.add(c); // before the claim goes: a link is always either claimed or listed
            c.onHeal(() -> res.conditions.remove(c));
            return c;
        } finally {
            synchronized (res.conditionClaims) {
                res.conditionClaims.remove(claim);
            }
        }
    }

    /**
     * A link a condition is being put on: its two ends, by namespace and ifindex (the devices, not
     * names that may be another's by now), and the condition as a refusal names it.
     */
    record Claim(NetNamespace nsA, int indexA, NetNamespace nsB, int indexB, String what) {
        boolean overlaps(ConditionedLink c) {
            return c.isOn(nsA, indexA) || c.isOn(nsB, indexB);
        }

        boolean overlaps(Claim o) {
            return o.isOn(nsA, indexA) || o.isOn(nsB, indexB);
        }

        private boolean isOn(NetNamespace ns, int index) {
            return nsA == ns && indexA == index || nsB == ns && indexB == index;
        }
    }

    /**
     * Claims {@code claim}'s link for its condition, before anything changes: refused while either end
     * has a condition of the topology's, or one being put on by another thread. The kernel alone
     * cannot be asked: it takes a root tbf beside a relay's clsact, which would bypass it, and two
     * conditions put on the two ends at once would each take one end and be refused the other.
     *
     * @throws NetlinkException EEXIST, naming the condition the link has
     */
    private static Claim claim(Resources res, Claim claim) {
        Object held;
        synchronized (res.conditionClaims) {
            held = res.conditions.stream().filter(claim::overlaps).findFirst().orElse(null);
            if (held == null) {
                held = res.conditionClaims.stream()
                        .filter(claim::overlaps)
                        .map(c -> c.what() + " (being put on)")
                        .findFirst()
                        .orElse(null);
            }
            if (held == null) {
                res.conditionClaims.add(claim);
                return claim;
            }
        }
        throw NetlinkException.refused(
                "link condition " + claim.what() + ": the link has one already, " + held
                        + " (a link takes one condition at a time: heal it first)",
                Errno.EEXIST);
    }

    /** {@code a/eth0 <-> b/eth0: delay 1ms}: as {@link ConditionedLink#toString()} names a condition. */
    static String describe(DeviceSpec d, LinkCondition condition) {
        return TopologySpec.label(d.ns()) + "/" + d.name() + " <-> " + TopologySpec.label(d.peerNs()) + "/"
                + d.peerName() + ": " + condition;
    }

    /**
     * {@code condition} put on a live link by {@link Topology#condition}: a seed of 0 (as
     * {@link LinkCondition#NONE} has) stands for none, and gets the default of a condition declared on
     * {@code d}, so that two links do not lose the same frames.
     */
    static LinkCondition seeded(DeviceSpec d, LinkCondition condition) {
        return condition.seed() != 0
                ? condition
                : condition.withSeed(defaultSeed(d.ns(), d.name(), d.peerNs(), d.peerName()));
    }

    /**
     * The seed of a condition given none, on the veth end {@code ns/dev} whose peer is
     * {@code peerNs/peerDev}: derived from those names (FNV-1a), so runs repeat. Never 0.
     */
    static long defaultSeed(String ns, String dev, String peerNs, String peerDev) {
        long seed = 0xcbf29ce484222325L;
        for (byte b : (ns + "/" + dev + ">" + peerNs + "/" + peerDev).getBytes(StandardCharsets.UTF_8)) {
            seed = (seed ^ (b & 0xff)) * 0x100000001b3L;
        }
        return seed == 0 ? 1 : seed;
    }

    private static NetNamespace host(Resources res, String ns) {
        NetNamespace h = res.hosts.get(ns);
        if (h == null) {
            throw new IllegalStateException("namespace " + TopologySpec.label(ns) + " is not open");
        }
        return h;
    }

    /** How scripts name a namespace: as the topology's script does ({@link Iproute2#in}). */
    private static ConditionedLink.Where where(TopologySpec spec, String ns) {
        return new ConditionedLink.Where(
                TopologySpec.label(ns), Iproute2.in(spec, ns, "ip"), Iproute2.in(spec, ns, "tc"));
    }
}
