package io.github.netvirt.core;

import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NamespacesAhead;
import io.github.netvirt.netns.NetNamespace;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Makes the namespaces of a plan, each named and with its netlink handle, into {@link Resources}:
 * on up to two switching threads at once.
 */
final class Namespaces {
    private final Resources res;
    private final List<Step> steps;
    private final Consumer<NetNamespace> beforeDevices;

    private Namespaces(Resources res, List<Step> steps, Consumer<NetNamespace> beforeDevices) {
        this.res = res;
        this.steps = steps;
        this.beforeDevices = beforeDevices;
    }

    /**
     * Begins the namespaces a fresh apply of {@code drafts} makes, before it validates and plans
     * ({@link NetNamespace#beginEphemeral}): unnamed until {@link #provision} takes them, and closed
     * if it never does (an invalid description). Null for a description with nothing to make, or
     * with the root or an adopted namespace in it, whose cookies the apply reads through a switching
     * thread before it makes any namespace (the ahead would give up).
     */
    static NamespacesAhead begin(Collection<Drafts.Ns> drafts) {
        List<Drafts.Ns> ordered = new ArrayList<>(drafts);
        for (Drafts.Ns n : ordered) {
            if (n.root || n.adoption != null) {
                return null;
            }
        }
        // in the plan's order, the order of declaration (Validator): provision takes them only in that order
        ordered.sort((a, b) -> Integer.compare(a.declOrder, b.declOrder));
        List<String> labels = new ArrayList<>(ordered.size());
        for (Drafts.Ns n : ordered) {
            labels.add(n.name);
        }
        return labels.isEmpty() ? null : NetNamespace.beginEphemeral(labels);
    }

    /**
     * Makes the namespaces of the {@link NsAddStep}s of {@code plan} before step {@code limit}, and
     * opens the root namespace when the topology has devices there; {@code beforeDevices} runs on
     * each new namespace as it is made ({@link ApplyOptions}). Takes the namespaces {@code ahead}
     * began ({@link #begin}; null: none) when they are the plan's, in its order, else closes them. Returns the
     * namespaces made, by logical name.
     *
     * @throws StepFailure naming the first step that failed (what was made is in {@code res})
     */
    static Set<String> provision(
            Plan plan, int limit, Resources res, Consumer<NetNamespace> beforeDevices, NamespacesAhead ahead) {
        List<Step> nsSteps = new ArrayList<>();
        for (Step s : plan.steps()) {
            if (s.op() instanceof NsAddStep && s.index() < limit) {
                nsSteps.add(s);
            }
        }
        if (plan.spec().findNamespace(TopologySpec.ROOT).isPresent() && !res.hosts.containsKey(TopologySpec.ROOT)) {
            NetNamespace root = NetNamespace.root();
            res.hosts.put(TopologySpec.ROOT, root);
            res.handles.put(TopologySpec.ROOT, NetlinkHandle.open(root));
        }
        Namespaces made = new Namespaces(res, nsSteps, beforeDevices);
        if (ahead != null && !made.labels().equals(ahead.labels())) {
            ahead.close();
            ahead = null;
        }
        if (nsSteps.isEmpty()) {
            return Set.of();
        }
        made.reserveNames(); // on failure the caller closes what ahead began
        made.run(ahead);
        return Set.copyOf(made.labels());
    }

    /**
     * Takes the names under {@code /run/netns} of the namespaces to be named, one after another in
     * name order, on the calling thread, before any of them is handed its namespace (the switching
     * threads make them meanwhile): of applies in any process taking some of the same names at once,
     * the first to take the lowest one gets them all, and each other fails at the first it finds taken,
     * holding none after it. Each file is in the crash record before it has its name.
     *
     * @throws StepFailure at the step of the first name that cannot be taken (those taken before are
     *     in {@code res}, given back by its teardown)
     */
    private void reserveNames() {
        List<Step> named = new ArrayList<>();
        for (Step s : steps) {
            if (kernelName(s) != null) {
                named.add(s);
            }
        }
        named.sort((a, b) -> kernelName(a).compareTo(kernelName(b)));
        for (Step s : named) {
            String name = kernelName(s);
            boolean[] recorded = {false};
            try {
                res.reserved.put(s.ns(), NetNamespace.reserveName(name, f -> {
                    res.record.nsFile(name, f);
                    recorded[0] = true;
                }));
            } catch (RuntimeException e) {
                if (recorded[0]) { // the file was recorded, then the name found taken
                    try {
                        res.record.nsRemoved(name, 0);
                    } catch (RuntimeException other) {
                        e.addSuppressed(other); // still listed: cleanup finds the name is another file
                    }
                }
                throw new StepFailure(s, e);
            }
        }
    }

    /** The name under {@code /run/netns} of the namespace step {@code s} makes, or null. */
    private static String kernelName(Step s) {
        return ((NsAddStep) s.op()).namespace().kernelName();
    }

    /**
     * Makes the namespaces (those begun {@code ahead}, else {@link NetNamespace#ephemeral(List,
     * NetNamespace.InsideTask)}: on up to two switching threads at once), each labelled with its host's
     * logical name from the start, so that every message naming one names the host: on its switching
     * thread, each new namespace is taken by the step of its label, mounted on its name (when the spec
     * asks; {@link #reserveNames} took it), gets
     * its netlink handle and has its ifindexes read on the spot, with no further hand-off. What was
     * made is in {@link #res} even on failure (an unnamed namespace there is then closed already: both
     * close what they made; closing again does nothing).
     *
     * @throws StepFailure naming the step whose namespace failed
     */
    private void run(NamespacesAhead ahead) {
        Map<String, Step> byHost = new HashMap<>();
        for (Step s : steps) {
            byHost.put(s.ns(), s);
        }
        AtomicInteger next = new AtomicInteger();
        NetNamespace.InsideTask<Void> each = fresh -> {
            next.incrementAndGet();
            Step s = byHost.get(fresh.label().orElseThrow());
            take(s, fresh);
            try {
                NetNamespace ns = res.hosts.get(s.ns());
                beforeDevices.accept(ns);
                res.handles.put(s.ns(), NetlinkHandle.open(ns));
            } catch (RuntimeException e) {
                throw new StepFailure(s, e);
            }
            return null;
        };
        try {
            if (ahead != null) {
                ahead.run(each);
            } else {
                NetNamespace.ephemeral(labels(), each);
            }
        } catch (StepFailure f) {
            throw f;
        } catch (Exception e) {
            throw new StepFailure(steps.get(Math.max(0, Math.min(next.get(), steps.size() - 1))), e);
        }
    }

    /** The logical names of the hosts whose namespaces this makes, in the plan's order. */
    private List<String> labels() {
        List<String> all = new ArrayList<>(steps.size());
        for (Step s : steps) {
            all.add(s.ns());
        }
        return all;
    }

    /** The highest ifindex in use in the namespace of {@code h}, by the dump. */
    static int highestInUse(NetlinkHandle h) {
        int top = 1;
        for (int i : h.linkIndexes()) {
            top = Math.max(top, i);
        }
        return top;
    }

    /** Hands {@code ns} to step {@code s} ({@link NsAddStep#take}). */
    private void take(Step s, NetNamespace ns) {
        try {
            ((NsAddStep) s.op()).take(ns, res);
        } catch (RuntimeException e) {
            throw new StepFailure(s, e);
        }
    }
}
