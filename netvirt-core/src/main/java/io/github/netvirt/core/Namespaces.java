package io.github.netvirt.core;

import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the namespaces of a plan, each with its netlink handle, into {@link Resources}: with a few
 * threads of its own when there are many (namespace set-up and bind mounts then overlap).
 */
final class Namespaces {
    private final Resources res;
    private final List<Step> steps;
    private final ExecutorService pool;

    private Namespaces(Resources res, List<Step> steps, ExecutorService pool) {
        this.res = res;
        this.steps = steps;
        this.pool = pool;
    }

    /**
     * Makes the namespaces of the {@link NsAddStep}s of {@code plan} before step {@code limit}, and
     * opens the root namespace when the topology has devices there.
     *
     * @throws StepFailure naming the first step that failed (what was made is in {@code res})
     */
    static void provision(Plan plan, int limit, Resources res) {
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
        if (nsSteps.isEmpty()) {
            return;
        }
        // for the second half of the namespaces and for bind mounts, which then overlap (starting
        // threads costs more than it saves for a few namespaces)
        int threads = nsSteps.size() < 8 ? 1 : Math.min(4, nsSteps.size());
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = threads < 2
                ? null
                : Executors.newFixedThreadPool(threads, r -> {
                    Thread t = NetNamespace.jvmThread(r, "netvirt-apply-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        try {
            new Namespaces(res, nsSteps, pool).run();
        } finally {
            if (pool != null) {
                pool.shutdown();
            }
        }
    }

    private void run() {
        nameAll(createEphemeral());
        List<NetNamespace> hosts = new ArrayList<>();
        for (Step s : steps) {
            hosts.add(res.hosts.get(s.ns()));
        }
        List<NetlinkHandle> handles;
        try {
            handles = NetlinkHandle.open(hosts);
        } catch (RuntimeException e) {
            throw new StepFailure(steps.get(0), e);
        }
        for (int i = 0; i < steps.size(); i++) {
            res.handles.put(steps.get(i).ns(), handles.get(i));
        }
    }

    /**
     * Makes the namespaces in as few hand-offs to netvirt-netns's switching threads as possible: one
     * per half, the two halves in parallel (the kernel's namespace set-up runs on both CPUs).
     */
    private List<NetNamespace> createEphemeral() {
        int count = steps.size();
        if (pool == null) {
            try {
                return NetNamespace.ephemeral(count);
            } catch (RuntimeException e) {
                throw new StepFailure(steps.get(0), e);
            }
        }
        int half = count / 2;
        Future<List<NetNamespace>> second = pool.submit(() -> NetNamespace.ephemeral(count - half));
        List<NetNamespace> all = new ArrayList<>(count);
        RuntimeException failure = null;
        try {
            all.addAll(NetNamespace.ephemeral(half));
        } catch (RuntimeException e) {
            failure = new StepFailure(steps.get(0), e);
        }
        try {
            all.addAll(Await.uninterruptibly(second));
        } catch (ExecutionException e) {
            if (failure == null) {
                failure = new StepFailure(steps.get(half), e.getCause());
            }
        }
        if (failure != null) {
            all.forEach(NetNamespace::close);
            throw failure;
        }
        return all;
    }

    /**
     * Hands each new namespace to {@link #res}, first naming it under {@code /run/netns} when the spec
     * asks for a name (bind mounts are slow: several run at once when there are many).
     */
    private void nameAll(List<NetNamespace> fresh) {
        boolean named =
                steps.stream().anyMatch(s -> ((NsAddStep) s.op()).namespace().kernelName() != null);
        if (pool == null || !named) {
            for (int i = 0; i < steps.size(); i++) {
                try {
                    take(steps.get(i), fresh.get(i));
                } catch (RuntimeException e) {
                    fresh.subList(i + 1, fresh.size()).forEach(NetNamespace::close);
                    throw e;
                }
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            NetNamespace ns = fresh.get(i);
            futures.add(pool.submit(() -> take(s, ns)));
        }
        StepFailure first = null;
        for (int i = 0; i < futures.size(); i++) {
            try {
                Await.uninterruptibly(futures.get(i));
            } catch (ExecutionException e) {
                StepFailure sf =
                        e.getCause() instanceof StepFailure x ? x : new StepFailure(steps.get(i), e.getCause());
                if (first == null || sf.step.index() < first.step.index()) {
                    first = sf;
                }
            }
        }
        if (first != null) {
            throw first;
        }
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
