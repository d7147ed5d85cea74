package io.github.netvirt.core;

import io.github.netvirt.core.plan.Action;
import io.github.netvirt.core.plan.Plan;
import io.github.netvirt.core.plan.Step;
import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.core.spec.Kind;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.RouteSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.core.spec.VxlanSpec;
import io.github.netvirt.netlink.AddressSpec;
import io.github.netvirt.netlink.BatchException;
import io.github.netvirt.netlink.Link;
import io.github.netvirt.netlink.LinkSpec;
import io.github.netvirt.netlink.NetlinkBatch;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.Sysctls;
import io.github.netvirt.netlink.VethSpec;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.tap.TapDevice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Carries out a plan. Namespaces first (concurrently when there are many), each with its netlink
 * handle; then the other steps in rounds: in each round every namespace sends, pipelined in one
 * batch, the longest run of its steps whose dependencies are met. Devices in namespaces netvirt
 * created get ifindexes chosen here, so no request has to look a name up. On any failure,
 * everything is torn down and an {@link ApplyException} names the step.
 */
final class Applier {
    private static final System.Logger LOG = System.getLogger(Applier.class.getName());

    private final Plan plan;
    private final TopologySpec spec;
    private final ApplyOptions options;
    private final Resources res;
    /** ns + NUL + device -> ifindex, for the devices whose index is known. */
    private final Map<String, Integer> index = new HashMap<>();
    /** The device group of the devices made in a namespace, where a change says (see {@link #groupOf}). */
    private final Map<String, Integer> tags = new HashMap<>();

    private Applier(Plan plan, ApplyOptions options) {
        this(plan, options, new Resources());
    }

    private Applier(Plan plan, ApplyOptions options, Resources res) {
        this.plan = plan;
        this.spec = plan.spec();
        this.options = options;
        this.res = res;
    }

    /**
     * Carries out {@code delta}, the steps a change adds to a live topology, with the live
     * topology's resources: new namespaces and handles go into {@code live}; each device made in
     * namespace N carries device group {@code tags.get(N)} (when present) from its creating request.
     * Undoes nothing on failure: {@link LiveChange} does, knowing what was there before.
     *
     * @throws ApplyException naming the step that failed
     */
    static void change(Plan delta, ApplyOptions options, Resources live, Map<String, Integer> tags) {
        Applier a = new Applier(delta, options, live);
        a.tags.putAll(tags);
        int limit = options.failAt() >= 0 ? Math.min(options.failAt(), delta.steps().size()) : delta.steps().size();
        try {
            a.createNamespaces(limit);
            a.assignIndexes();
            a.runSteps(limit);
            if (limit < delta.steps().size()) {
                throw new StepFailure(delta.steps().get(limit),
                        new IllegalStateException("failure injected at step " + limit + " (test hook)"));
            }
        } catch (StepFailure f) {
            throw new ApplyException(f.step, f.getCause());
        }
    }

    static Topology apply(Plan plan, ApplyOptions options) {
        Reaper.startOnce();
        return new Applier(plan, options).run();
    }

    private static final class StepFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Step step;

        StepFailure(Step step, Throwable cause) {
            super(cause);
            this.step = step;
        }
    }

    private Topology run() {
        long start = System.nanoTime();
        int limit = options.failAt() >= 0 ? Math.min(options.failAt(), plan.steps().size()) : plan.steps().size();
        LOG.log(System.Logger.Level.DEBUG, () -> "apply: " + spec.namespaces().size() + " namespaces, "
                + plan.steps().size() + " steps");
        try {
            Adoptions.open(spec, res);
            if (needsRecord()) {
                res.record = CrashRecord.begin(RunDir.current(), describe());
                // positive (iproute2 prints groups as signed ints) and far above the small numbers admins use
                int group = ThreadLocalRandom.current().nextInt(0x4000_0000, Integer.MAX_VALUE);
                if (createsRootDevices()) {
                    res.record.rootDevices(Cleaner.rootCookie(), group);
                    res.rootGroup = group;
                }
                if (createsAdoptedDevices()) {
                    // before the first device is made there, as for the root namespace
                    for (NamespaceSpec n : spec.namespaces()) {
                        if (n.adopted()) {
                            NetNamespace ns = res.hosts.get(n.name());
                            res.record.adoptedDevices(ns.cookie(), group, Adoptions.reach(n.adoption(), ns));
                        }
                    }
                    res.adoptedGroup = group;
                }
            }
            createNamespaces(limit);
            for (NamespaceSpec n : spec.namespaces()) {
                NetNamespace ns = res.hosts.get(n.name());
                if (!n.root() && ns != null) {
                    options.beforeDevices().accept(ns);
                }
            }
            assignIndexes();
            runSteps(limit);
            if (limit < plan.steps().size()) {
                throw new StepFailure(plan.steps().get(limit),
                        new IllegalStateException("failure injected at step " + limit + " (test hook)"));
            }
            LinkConditions.applyDeclared(spec, res);
        } catch (StepFailure f) {
            ApplyException e = new ApplyException(f.step, f.getCause());
            LOG.log(System.Logger.Level.DEBUG, () -> "apply failed at " + f.step.describe() + ": rolling back");
            for (RuntimeException u : res.teardown()) {
                e.addSuppressed(u);
            }
            throw e;
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "apply failed (" + e + "): rolling back");
            for (RuntimeException u : res.teardown()) {
                e.addSuppressed(u);
            }
            throw e;
        }
        long nanos = System.nanoTime() - start;
        LOG.log(System.Logger.Level.DEBUG, () -> "applied in " + nanos / 1_000 + " µs");
        return new Topology(plan, res, nanos);
    }

    private boolean needsRecord() {
        if (createsAdoptedDevices()) {
            return true;
        }
        for (NamespaceSpec n : spec.namespaces()) {
            if (n.kernelName() != null || n.root() && !n.devices().isEmpty()) {
                return true;
            }
            for (DeviceSpec d : n.devices()) {
                if (d.isVeth() && TopologySpec.ROOT.equals(d.peerNs())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether this topology creates a device (a veth end included) in a namespace it adopts. */
    private boolean createsAdoptedDevices() {
        for (NamespaceSpec n : spec.namespaces()) {
            if (n.adopted() && !n.devices().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** The device group that tags the devices this topology makes in namespace {@code ns}, or 0 for none. */
    private int groupOf(String ns) {
        Integer tag = tags.get(ns);
        if (tag != null) {
            return tag;
        }
        if (TopologySpec.ROOT.equals(ns)) {
            return res.rootGroup;
        }
        return res.adopted.contains(ns) ? res.adoptedGroup : 0;
    }

    /** Whether a netlink request of this topology creates a device in the root namespace. */
    private boolean createsRootDevices() {
        for (Step s : plan.steps()) {
            if (rootDeviceCreatedBy(s) != null && s.device().kind() != Kind.TAP) {
                return true;
            }
        }
        return false;
    }

    private String describe() {
        List<String> names = new ArrayList<>();
        for (NamespaceSpec n : spec.namespaces()) {
            names.add(n.root() ? "(root)" : n.adopted() ? n.name() + "(adopted " + n.adoption() + ")" : n.kernelName() != null ? n.kernelName() : n.name() + "(ephemeral)");
        }
        return String.join(" ", names);
    }

    // ------------------------------------------------------------ ifindexes

    /**
     * Chooses the ifindexes of the devices in the new namespaces, above every index in use there: a
     * new namespace holds more than {@code lo} when the kernel adds fallback tunnels to each one
     * ({@code tunl0}, {@code sit0}, ... with the ipip, sit or gre modules loaded and
     * {@code net.core.fb_tunnels_only_for_init_net=0}). Taps get theirs from the kernel: the lowest
     * free one from just above the last it chose, so within the first free slots above {@code lo}
     * and the devices already there; the explicit indexes start after as many slots as taps.
     */
    private void assignIndexes() {
        Set<String> made = new HashSet<>();
        for (Step s : plan.steps()) {
            if (s.action() == Action.NS_ADD) {
                made.add(s.ns());
            }
        }
        for (NamespaceSpec n : spec.namespaces()) {
            NetlinkHandle h = res.handles.get(n.name());
            if (!made.contains(n.name())) {
                continue; // made earlier (a live topology's change): the kernel chooses there
            }
            // an adopted namespace's own devices may come and go meanwhile: the kernel chooses there
            if (n.root() || n.adopted() || h == null) {
                continue;
            }
            int highest = 1; // lo
            for (Link l : h.linkList()) {
                highest = Math.max(highest, l.index());
            }
            int next = highest + 1 + (int) n.devices().stream().filter(d -> d.kind() == Kind.TAP).count();
            for (DeviceSpec d : n.devices()) {
                if (d.kind() != Kind.TAP) {
                    index.put(key(n.name(), d.name()), next++);
                }
            }
        }
    }

    private Integer indexOf(String ns, String dev) {
        return index.get(key(ns, dev));
    }

    private static String key(String ns, String dev) {
        return ns + "\u0000" + dev;
    }

    // ------------------------------------------------------------ namespaces

    private void createNamespaces(int limit) {
        List<Step> nsSteps = new ArrayList<>();
        for (Step s : plan.steps()) {
            if (s.action() == Action.NS_ADD && s.index() < limit) {
                nsSteps.add(s);
            }
        }
        if (spec.findNamespace(TopologySpec.ROOT).isPresent() && !res.hosts.containsKey(TopologySpec.ROOT)) {
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
        ExecutorService pool = threads < 2 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = NetNamespace.jvmThread(r, "netvirt-apply-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<NetNamespace> fresh = createEphemeral(nsSteps, pool);
            nameNamespaces(nsSteps, fresh, pool);
            List<NetNamespace> hosts = new ArrayList<>();
            for (Step s : nsSteps) {
                hosts.add(res.hosts.get(s.ns()));
            }
            List<NetlinkHandle> handles;
            try {
                handles = NetlinkHandle.open(hosts);
            } catch (RuntimeException e) {
                throw new StepFailure(nsSteps.get(0), e);
            }
            for (int i = 0; i < nsSteps.size(); i++) {
                res.handles.put(nsSteps.get(i).ns(), handles.get(i));
            }
        } finally {
            if (pool != null) {
                pool.shutdown();
            }
        }
    }

    /**
     * Makes the namespaces in as few hand-offs to netvirt-netns's switching threads as possible: one
     * per half, the two halves in parallel (the kernel's namespace set-up runs on both CPUs).
     */
    private static List<NetNamespace> createEphemeral(List<Step> nsSteps, ExecutorService pool) {
        int count = nsSteps.size();
        if (pool == null || count < 8) {
            try {
                return NetNamespace.ephemeral(count);
            } catch (RuntimeException e) {
                throw new StepFailure(nsSteps.get(0), e);
            }
        }
        int half = count / 2;
        Future<List<NetNamespace>> second = pool.submit(() -> NetNamespace.ephemeral(count - half));
        List<NetNamespace> all = new ArrayList<>(count);
        RuntimeException failure = null;
        try {
            all.addAll(NetNamespace.ephemeral(half));
        } catch (RuntimeException e) {
            failure = new StepFailure(nsSteps.get(0), e);
        }
        try {
            all.addAll(awaitUninterruptibly(second));
        } catch (java.util.concurrent.ExecutionException e) {
            if (failure == null) {
                failure = new StepFailure(nsSteps.get(half), e.getCause());
            }
        }
        if (failure != null) {
            all.forEach(NetNamespace::close);
            throw failure;
        }
        return all;
    }

    /** Waits for {@code f} even when interrupted: a namespace made after the rollback would leak. */
    private static <T> T awaitUninterruptibly(Future<T> f) throws java.util.concurrent.ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Hands each new namespace to {@link #res}, first naming it under {@code /run/netns} when the spec
     * asks for a name (bind mounts are slow: several run at once when there are many).
     */
    private void nameNamespaces(List<Step> nsSteps, List<NetNamespace> fresh, ExecutorService pool) {
        boolean named = nsSteps.stream().anyMatch(s -> spec.namespace(s.ns()).kernelName() != null);
        if (pool == null || !named) {
            for (int i = 0; i < nsSteps.size(); i++) {
                try {
                    name(nsSteps.get(i), fresh.get(i));
                } catch (RuntimeException e) {
                    fresh.subList(i + 1, fresh.size()).forEach(NetNamespace::close);
                    throw e;
                }
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < nsSteps.size(); i++) {
            Step s = nsSteps.get(i);
            NetNamespace ns = fresh.get(i);
            futures.add(pool.submit(() -> name(s, ns)));
        }
        StepFailure first = null;
        for (int i = 0; i < futures.size(); i++) {
            try {
                awaitUninterruptibly(futures.get(i));
            } catch (java.util.concurrent.ExecutionException e) {
                StepFailure sf = e.getCause() instanceof StepFailure x ? x : new StepFailure(nsSteps.get(i), e.getCause());
                if (first == null || sf.step.index() < first.step.index()) {
                    first = sf;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Takes ownership of {@code ns}: names it if the spec asks for a name, then keeps it in {@link #res}. */
    private void name(Step s, NetNamespace ns) {
        NamespaceSpec n = spec.namespace(s.ns());
        if (n.kernelName() != null) {
            try {
                // the record holds the namespace, then the file under /run/netns, before the name exists
                res.record.nsCreated(n.kernelName(), ns.cookie());
                NetNamespace byName = ns.attach(n.kernelName(), ino -> res.record.nsFile(n.kernelName(), ino));
                ns.close();
                ns = byName;
                res.named.put(n.name(), n.kernelName());
            } catch (RuntimeException e) {
                ns.close();
                throw new StepFailure(s, e);
            }
        }
        res.hosts.put(n.name(), ns);
    }

    // ------------------------------------------------------------ the other steps, in rounds

    private void runSteps(int limit) {
        List<Step> rest = new ArrayList<>();
        Set<Integer> completed = new HashSet<>();
        for (Step s : plan.steps()) {
            if (s.index() >= limit) {
                break;
            }
            if (s.action() == Action.NS_ADD) {
                completed.add(s.index());
            } else {
                rest.add(s);
            }
        }
        while (!rest.isEmpty()) {
            Map<String, List<Step>> round = new LinkedHashMap<>();
            Map<Integer, String> planned = new HashMap<>();
            Set<String> blocked = new HashSet<>();
            for (Step s : rest) {
                if (blocked.contains(s.ns())) {
                    continue;
                }
                boolean ready = true;
                for (int need : s.needs()) {
                    if (!completed.contains(need) && !s.ns().equals(planned.get(need))) {
                        ready = false;
                        break;
                    }
                }
                if (ready) {
                    round.computeIfAbsent(s.ns(), k -> new ArrayList<>()).add(s);
                    planned.put(s.index(), s.ns());
                } else {
                    blocked.add(s.ns());
                }
            }
            if (round.isEmpty()) {
                throw new IllegalStateException("plan has a dependency cycle at " + rest.get(0));
            }
            for (Map.Entry<String, List<Step>> e : round.entrySet()) {
                runBatch(e.getKey(), e.getValue());
            }
            completed.addAll(planned.keySet());
            rest.removeIf(s -> planned.containsKey(s.index()));
        }
    }

    /** Sends {@code steps} of one namespace pipelined; taps and sysctls break the batch in two. */
    private void runBatch(String ns, List<Step> steps) {
        NetlinkHandle h = res.handle(ns);
        NetlinkBatch batch = h.batch();
        List<Step> inBatch = new ArrayList<>();
        for (Step s : steps) {
            if (s.action() == Action.LINK_ADD && s.device().kind() == Kind.TAP || s.action() == Action.FORWARDING) {
                flush(batch, inBatch);
                batch = h.batch();
                inBatch = new ArrayList<>();
                try {
                    if (s.action() == Action.FORWARDING) {
                        Sysctls sys = Sysctls.of(res.hosts.get(ns));
                        sys.ipv4Forwarding(true);
                        sys.ipv6Forwarding(true);
                    } else {
                        openTap(s.device());
                    }
                } catch (RuntimeException e) {
                    throw new StepFailure(s, e);
                }
                continue;
            }
            try {
                add(batch, s);
            } catch (RuntimeException e) {
                flush(batch, inBatch);
                throw new StepFailure(s, e);
            }
            inBatch.add(s);
        }
        flush(batch, inBatch);
    }

    private void flush(NetlinkBatch batch, List<Step> steps) {
        if (steps.isEmpty()) {
            return;
        }
        // devices made in the root namespace carry res.rootGroup from their creating request:
        // teardown and cleanup find them by it, whatever became of the acks
        List<String> rootNames = new ArrayList<>();
        for (Step s : steps) {
            String rootName = rootDeviceCreatedBy(s);
            if (rootName != null) {
                rootNames.add(rootName);
            }
        }
        if (LOG.isLoggable(System.Logger.Level.TRACE)) {
            steps.forEach(st -> LOG.log(System.Logger.Level.TRACE, st.describe()));
        }
        try {
            batch.execute();
        } catch (BatchException e) {
            int failed = e.failedIndex();
            throw new StepFailure(steps.get(Math.min(failed, steps.size() - 1)), e);
        }
        if (!rootNames.isEmpty()) {
            if (options.fault() == ApplyOptions.Fault.HALT_AFTER_ROOT_DEVICES) {
                Runtime.getRuntime().halt(137);
            }
            if (options.fault() == ApplyOptions.Fault.ROOT_ACKS_LOST) {
                throw new StepFailure(steps.get(0), new IllegalStateException("acks lost (test hook)"));
            }
            NetlinkHandle root = res.handles.get(TopologySpec.ROOT);
            for (String name : rootNames) {
                index.put(key(TopologySpec.ROOT, name), root.linkIndex(name));
            }
        }
    }

    /** The name of the root-namespace device {@code s} creates, or null. */
    private static String rootDeviceCreatedBy(Step s) {
        if (s.action() != Action.LINK_ADD) {
            return null;
        }
        DeviceSpec d = s.device();
        if (TopologySpec.ROOT.equals(d.ns())) {
            return d.name();
        }
        if (d.isVeth() && TopologySpec.ROOT.equals(d.peerNs())) {
            return d.peerName();
        }
        return null;
    }

    private void add(NetlinkBatch b, Step s) {
        DeviceSpec d = s.device();
        switch (s.action()) {
            case LINK_ADD:
                b.linkAdd(linkSpec(d));
                break;
            case LINK_SET: {
                if (d.mtu() > 0) {
                    b.linkSetMtu(d.name(), d.mtu());
                }
                if (d.mac() != null) {
                    b.linkSetMac(d.name(), d.mac());
                }
                break;
            }
            case LINK_MASTER: {
                Integer i = indexOf(d.ns(), d.name());
                Integer m = indexOf(d.ns(), d.master());
                if (i != null && m != null) {
                    b.linkSetMaster(i, m);
                } else {
                    b.linkSetMaster(d.name(), d.master());
                }
                break;
            }
            case LINK_UP: {
                Integer i = indexOf(d.ns(), d.name());
                if (i != null) {
                    b.linkSetUp(i);
                } else {
                    b.linkSetUp(d.name());
                }
                break;
            }
            case ADDR_ADD: {
                Integer i = indexOf(d.ns(), d.name());
                IpPrefix p = s.address();
                b.addrAdd(i != null ? AddressSpec.of(i, p) : AddressSpec.of(d.name(), p));
                break;
            }
            case ROUTE_ADD: {
                RouteSpec r = s.route();
                io.github.netvirt.netlink.RouteSpec rs = io.github.netvirt.netlink.RouteSpec.to(r.destination());
                if (r.gateway() != null) {
                    rs = rs.via(r.gateway());
                }
                if (r.dev() != null) {
                    Integer i = indexOf(r.ns(), r.dev());
                    rs = i != null ? rs.dev(i) : rs.dev(r.dev());
                }
                b.routeAdd(rs);
                break;
            }
            default:
                throw new IllegalStateException("not a netlink step: " + s);
        }
    }

    private LinkSpec<?> linkSpec(DeviceSpec d) {
        LinkSpec<?> l;
        switch (d.kind()) {
            case VETH: {
                VethSpec v = LinkSpec.veth(d.name(), d.peerName());
                NetNamespace peerNs = res.hosts.get(d.peerNs());
                v.peerNetns(peerNs);
                Integer pi = indexOf(d.peerNs(), d.peerName());
                if (pi != null) {
                    v.peerIndex(pi);
                }
                DeviceSpec peer = spec.device(d.peerNs(), d.peerName());
                if (peer.mtu() > 0) {
                    v.peerMtu(peer.mtu());
                }
                if (peer.mac() != null) {
                    v.peerMac(peer.mac());
                }
                if (groupOf(d.peerNs()) != 0) {
                    v.peerGroup(groupOf(d.peerNs()));
                }
                l = v;
                break;
            }
            case BRIDGE:
                l = LinkSpec.bridge(d.name());
                break;
            case MACVLAN:
                l = LinkSpec.macvlan(d.name(), d.lower()).mode(d.macvlanMode());
                break;
            case VXLAN: {
                VxlanSpec x = d.vxlan();
                io.github.netvirt.netlink.VxlanSpec v = LinkSpec.vxlan(d.name(), x.vni()).port(x.dstPort());
                if (x.remote() != null) {
                    v.remote(x.remote());
                }
                if (x.group() != null) {
                    v.group(x.group());
                }
                if (x.local() != null) {
                    v.local(x.local());
                }
                if (x.lower() != null) {
                    v.device(x.lower());
                }
                l = v;
                break;
            }
            default:
                throw new IllegalStateException("not a netlink device: " + d.kind());
        }
        if (d.isVeth()) {
            // the creating socket's namespace is this end's: place both ends explicitly all the same
            l.netns(res.hosts.get(d.ns()));
        }
        Integer i = indexOf(d.ns(), d.name());
        if (i != null) {
            l.index(i);
        }
        if (d.mtu() > 0) {
            l.mtu(d.mtu());
        }
        if (d.mac() != null) {
            l.mac(d.mac());
        }
        if (groupOf(d.ns()) != 0) {
            l.group(groupOf(d.ns()));
        }
        return l;
    }

    private void openTap(DeviceSpec d) {
        NetNamespace ns = res.hosts.get(d.ns());
        // a tap is not persistent: it goes with its fd, however the JVM ends
        TapDevice tap = TapDevice.tap(d.name()).open(ns);
        res.taps.put(key(d.ns(), d.name()), tap);
        if (d.quiet()) {
            // before the device goes up: its first IPv6 frames leave the moment it is up
            Sysctls.of(ns).ipv6Disabled(d.name(), true);
        }
        int ifindex = res.handle(d.ns()).linkIndex(d.name());
        index.put(key(d.ns(), d.name()), ifindex);
    }
}
