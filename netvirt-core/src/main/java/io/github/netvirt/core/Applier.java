package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.Kind;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.netlink.Address;
import io.github.netvirt.netlink.BatchException;
import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.Link;
import io.github.netvirt.netlink.NetlinkBatch;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.Sysctls;
import io.github.netvirt.netns.NamespacesAhead;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.Uninterrupted;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.sys.SyscallException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * Carries out a plan. Namespaces first ({@link Namespaces}), each with its netlink handle; then
 * the other steps in rounds: in each round every namespace sends, pipelined in one batch, the
 * longest run of its steps whose dependencies are met. Devices in namespaces netvirt created get
 * ifindexes chosen beforehand ({@link Ifindexes}), so no request has to look a name up. On any
 * failure, everything is torn down and an {@link ApplyException} names the step.
 */
final class Applier {
    private static final System.Logger LOG = System.getLogger(Applier.class.getName());

    private final Plan plan;
    private final ApplyOptions options;
    private final Resources res;
    private final Ifindexes index = new Ifindexes();
    private final RootDevices roots;
    /** The namespaces begun before the plan ({@link Namespaces#begin}); null: none. */
    private final NamespacesAhead ahead;

    private Applier(Plan plan, ApplyOptions options, Resources res, Map<String, Integer> tags, NamespacesAhead ahead) {
        this.plan = plan;
        this.ahead = ahead;
        this.options = options;
        this.res = res;
        this.roots = new RootDevices(res, tags);
    }

    /**
     * Builds the network of {@code plan}: all of it, or (on failure) none of it, taking the namespaces
     * {@code ahead} began while the caller planned (null: none; {@link Namespaces#begin}). The caller holds
     * back the interrupt pending when its apply began ({@link Uninterrupted}, around the validation
     * and planning too, so that an interrupt coming meanwhile is not taken for a pending one).
     *
     * @throws ApplyException naming the step that failed, everything done before undone
     * @throws CancellationException when the caller was interrupted while it ran (at whichever step a
     *         hand-off to another thread gave up, or before a namespace's batch:
     *         {@link #cancelIfInterrupted}), everything done before undone; the interrupt status is kept
     */
    static Topology apply(Plan plan, ApplyOptions options, NamespacesAhead ahead) {
        Reaper.startOnce();
        return ShutdownRollback.track(() -> new Applier(plan, options, new Resources(), Map.of(), ahead).run());
    }

    /**
     * Cancels an apply or a change ({@code what}) whose caller was interrupted while it validated and
     * planned, before anything is named or added; the interrupt status stays set. An interrupt pending when it
     * began is held back ({@link Uninterrupted}) and does not count.
     */
    static void cancelIfInterrupted(String what) {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException(
                    what + " interrupted while it validated and planned; nothing was named, added or changed");
        }
    }

    /**
     * Carries out {@code delta}, the steps a change adds to a live topology, with the live
     * topology's resources: new namespaces and handles go into {@code live}; each device made in
     * namespace N carries device group {@code tags.get(N)} (when present) from its creating request.
     * Undoes nothing on failure: {@link LiveChange} does, knowing what was there before.
     *
     * @throws ApplyException naming the step that failed
     * @throws CancellationException when the caller was interrupted while it ran
     */
    static void change(Plan delta, ApplyOptions options, Resources live, Map<String, Integer> tags) {
        try {
            Applier a = new Applier(delta, options, live, tags, null);
            a.roots.beginChange(delta);
            a.steps(options.beforeDevices());
        } catch (StepFailure f) {
            throw failure(f, live);
        }
    }

    private Topology run() {
        // held until the names are taken or given back: another apply of this JVM fails meanwhile
        try (NameClaims.Claim names = NameClaims.claim(plan, "applying")) {
            return runClaimed();
        }
    }

    private Topology runClaimed() {
        long start = System.nanoTime();
        LOG.log(
                System.Logger.Level.DEBUG,
                () -> "apply: " + plan.spec().namespaces().size() + " namespaces, "
                        + plan.steps().size() + " steps");
        try {
            beforeSteps();
            steps(options.beforeDevices());
            LinkConditions.applyDeclared(plan, res);
        } catch (StepFailure f) {
            RuntimeException e = failure(f, res);
            LOG.log(System.Logger.Level.DEBUG, () -> "apply failed at " + f.step.describe() + ": rolling back");
            ShutdownRollback.undoing();
            Uninterrupted.call(res::teardown).forEach(e::addSuppressed);
            throw e;
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "apply failed (" + e + "): rolling back");
            ShutdownRollback.undoing();
            Uninterrupted.call(res::teardown).forEach(e::addSuppressed);
            throw e;
        }
        res.everyIndexKnown = true;
        long nanos = System.nanoTime() - start;
        LOG.log(System.Logger.Level.DEBUG, () -> "applied in " + nanos / 1_000 + " µs");
        return new Topology(plan, res, nanos);
    }

    /**
     * Opens the adopted namespaces and writes the crash record, before the first step. Both read
     * namespace cookies (the root namespace's, an adopted one's), which enters the namespace: without
     * CAP_SYS_ADMIN the kernel refuses, and that refusal is the failure of the first step (the one
     * apply() documents, as when the first step is refused itself), not a bare exception.
     *
     * @throws StepFailure at the first step for a refusal {@link Errno#needsRoot} root's capabilities
     *     would have spared
     */
    private void beforeSteps() {
        try {
            Adoptions.open(plan.spec(), res);
            roots.begin(plan);
        } catch (RuntimeException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof SyscallException se
                        && Errno.needsRoot(se.errno())
                        && !plan.steps().isEmpty()) {
                    throw new StepFailure(plan.steps().get(0), se);
                }
            }
            throw e;
        }
    }

    /**
     * What the caller gets for a failed step: an {@link ApplyException} naming it, or a
     * {@link CancellationException} when the step's hand-off to another thread, or its wait in the
     * caller's thread (EINTR), gave up on the interrupted caller (whose interrupt status the thrower
     * has set again, or {@link Uninterrupted} sets), or the interrupt was noticed before a batch.
     * Either way the caller undoes what was done before.
     */
    private static RuntimeException failure(StepFailure f, Resources res) {
        Throwable cause = f.getCause();
        if (cause instanceof CancellationException
                || cause instanceof InterruptedException
                // a wait in the caller's thread (for DAD) that an interrupt ended: it set the flag again
                || cause instanceof SyscallException se
                        && se.is(Errno.EINTR)
                        && Thread.currentThread().isInterrupted()) {
            return (CancellationException) new CancellationException(
                            "interrupted at step " + f.step.describe() + "; everything done before was undone")
                    .initCause(cause);
        }
        if (cause instanceof SyscallException se && se.is(Errno.EEXIST)) {
            String whose = NameHolder.of(f.step, res);
            if (whose != null) {
                return new ApplyException(f.step, cause, whose);
            }
        }
        return new ApplyException(f.step, cause);
    }

    /**
     * Namespaces ({@code beforeDevices} on each new one as it is made), then the other steps in
     * rounds; stops before step {@link ApplyOptions#failAt()} (a test hook). First lets this JVM's
     * reaper free the names the plan takes ({@link Reaper#settle}).
     */
    private void steps(Consumer<NetNamespace> beforeDevices) {
        int limit = options.failAt() >= 0
                ? Math.min(options.failAt(), plan.steps().size())
                : plan.steps().size();
        Reaper.settle(plan);
        // worked out while the kernel makes the namespaces, off the apply's critical path
        List<Map<String, List<Step>>> rounds = Rounds.of(plan.steps(), limit);
        index.assign(
                plan,
                Namespaces.provision(plan, limit, res, beforeDevices, ahead),
                res.ifindexMarks,
                ns -> Namespaces.highestInUse(res.handle(ns)));
        index.chosen(plan, res::deviceMade);
        runRounds(rounds);
        if (limit < plan.steps().size()) {
            options.atFailAt().run();
            throw new StepFailure(
                    plan.steps().get(limit),
                    new IllegalStateException("failure injected at step " + limit + " (test hook)"));
        }
        activate();
    }

    /**
     * Has the kernel finish bringing up every device the plan brought up, so that what the caller
     * sends at once is not dropped. A device whose carrier came on after its up (a veth end when its
     * peer went up: a bridge's ports, every time) is only half up until the kernel's linkwatch work
     * runs, asynchronously, taking the RTNL: meanwhile its transmit queue keeps the {@code noop}
     * qdisc and a bridge port stays disabled, and the first ARP request through it was lost (1 s
     * late, its retransmission) in about 1 of 12 seed applies. Lower devices first, then devices on
     * a lower (their carrier follows it), then bridges (carrier on with a forwarding port). Then
     * waits for the IPv6 addresses that go through duplicate address detection ({@link #awaitDad}).
     */
    private void activate() {
        List<List<Step>> tiers = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        // made only for an IPv6 address in the root or an adopted namespace, or for a change that
        // brings IPv6 into the topology
        List<DadWait> dad = null;
        // in a topology that uses IPv6, the devices brought up: where DAD runs (root, adopted), and by
        // namespace where it is off (whose link-local addresses are tentative until the kernel's DAD work runs)
        List<Step> upWithDad = null;
        Map<String, List<Step>> upWithoutDad = null;
        Boolean ipv6 = null;
        for (Step s : plan.steps()) {
            DeviceSpec d = s.op() instanceof UpStep u
                    ? u.device()
                    : s.op() instanceof LinkAddStep a && a.up() ? a.device() : null;
            if (d != null) {
                tiers.get(d.kind() == Kind.BRIDGE ? 2 : d.lower() != null ? 1 : 0)
                        .add(s);
                if (ipv6 == null) {
                    ipv6 = Planner.usesIpv6(plan.spec());
                }
                if (ipv6) {
                    NamespaceSpec n = plan.spec().namespace(d.ns());
                    if (n.root() || n.adopted()) {
                        if (upWithDad == null) {
                            upWithDad = new ArrayList<>();
                        }
                        upWithDad.add(s);
                    } else {
                        if (upWithoutDad == null) {
                            upWithoutDad = new LinkedHashMap<>();
                        }
                        upWithoutDad
                                .computeIfAbsent(d.ns(), k -> new ArrayList<>())
                                .add(s);
                    }
                }
            } else if (s.op() instanceof AddrAddStep a
                    && a.keepsDad()
                    && a.device().up()) {
                if (dad == null) {
                    dad = new ArrayList<>();
                }
                dad.add(new DadWait(s, a.device(), a.address()));
            }
        }
        for (List<Step> tier : tiers) {
            for (Step s : tier) {
                DeviceSpec d = ((DeviceStep) s.op()).device();
                NamespaceSpec n = plan.spec().namespace(d.ns());
                try {
                    if (n.root() || n.adopted()) {
                        res.handle(d.ns()).linkSync(ifindex(d));
                    } else {
                        // where netvirt made the namespace, no one else takes a name: the one ioctl
                        res.handle(d.ns()).linkSync(d.name());
                    }
                } catch (RuntimeException e) {
                    throw new StepFailure(s, e);
                }
            }
        }
        if (upWithDad != null) { // after the addresses: a failed one is reported at its own step
            if (dad == null) {
                dad = new ArrayList<>();
            }
            for (Step s : upWithDad) {
                dad.add(new DadWait(s, ((DeviceStep) s.op()).device(), null));
            }
        }
        if (plan.base() != null && !Planner.usesIpv6(plan.base()) && Planner.usesIpv6(plan.spec())) {
            dad = keptInDad(dad);
        }
        if (dad != null) {
            awaitDad(dad);
        }
        if (upWithoutDad != null) {
            awaitDadWork(upWithoutDad);
        }
    }

    /**
     * An IPv6 address of a device ({@code address}; null: every one, the kernel's link-local ones
     * included) whose DAD {@link #awaitDad} waits out, and the step a failure is reported at.
     */
    private record DadWait(Step step, DeviceSpec device, IpPrefix address) {}

    /**
     * For a change that brings IPv6 into a topology: its devices that were up already came up with
     * DAD on (an IPv4-only topology's namespaces run it, {@link NsAddStep#noDad()}), and the kernel's
     * link-local addresses on them may still be in it (1-2 s after they came up; turning
     * {@code accept_dad} off meanwhile does not end it). Adds to {@code dad} the devices the change
     * keeps up that one dump of their namespace shows with an IPv6 address in DAD (a device without
     * IPv6, its MTU below 1280, has none, and no IPv6 settings to time a wait by), a failure reported
     * at the step that brings IPv6 in.
     */
    private List<DadWait> keptInDad(List<DadWait> dad) {
        Step blame = plan.steps().get(0);
        for (Step s : plan.steps()) {
            if (s.op() instanceof AddrAddStep a && a.address().isIpv6()
                    || s.op() instanceof RouteAddStep r
                            && r.route().destination().isIpv6()) {
                blame = s;
                break;
            }
        }
        for (NamespaceSpec was : plan.base().namespaces()) {
            NamespaceSpec n = plan.spec().findNamespace(was.name()).orElse(null);
            if (n == null || was.devices().isEmpty()) {
                continue;
            }
            Set<Integer> inDad = new HashSet<>();
            for (Address a : res.handle(n.name()).addrList()) {
                if (a.prefix().isIpv6() && (a.isTentative() || a.isDadFailed())) {
                    inDad.add(a.index());
                }
            }
            if (inDad.isEmpty()) {
                continue;
            }
            for (DeviceSpec d : was.devices()) {
                DeviceSpec kept = n.device(d.name()).orElse(null);
                if (kept != null && kept.up() && inDad.contains(ifindex(kept, blame))) {
                    if (dad == null) {
                        dad = new ArrayList<>();
                    }
                    dad.add(new DadWait(blame, kept, null));
                }
            }
        }
        return dad;
    }

    /**
     * In the namespaces netvirt made DAD is off in a topology that uses IPv6, but the kernel marks the
     * link-local address it gives a device coming up tentative until its DAD work has run (a work item,
     * moments later; on a loaded machine after apply returned): waits for that work on the devices of
     * {@code ups} (by namespace), with one dump of each namespace's addresses when it has run already.
     */
    private void awaitDadWork(Map<String, List<Step>> ups) {
        for (Map.Entry<String, List<Step>> e : ups.entrySet()) {
            List<Integer> links = new ArrayList<>(e.getValue().size());
            for (Step s : e.getValue()) {
                links.add(ifindex(((DeviceStep) s.op()).device()));
            }
            try {
                res.handle(e.getKey()).awaitDad(links, DAD_MARGIN);
            } catch (RuntimeException ex) {
                throw new StepFailure(e.getValue().get(0), ex);
            }
        }
    }

    /**
     * The ifindex of device {@code d}: chosen, or learnt from its creating request's echo or a tap's fd,
     * else that of the device of its name once proven the topology's ({@link Resources#ownLink}).
     */
    private int ifindex(DeviceSpec d) {
        Integer i = index.get(DeviceKey.of(d));
        return i != null ? i : res.ownLink(plan.spec(), d.ns(), d.name()).index();
    }

    /** {@link #ifindex(DeviceSpec)}, a failure reported at {@code blame}. */
    private int ifindex(DeviceSpec d, Step blame) {
        try {
            return ifindex(d);
        } catch (RuntimeException e) {
            throw new StepFailure(blame, e);
        }
    }

    /**
     * The kernel's DAD time for device {@code d}, link {@code l} ({@link Sysctls#dadTime}), read by name:
     * in the root or an adopted namespace by the name {@code l} had, which was its own if a read of the
     * link by index afterwards shows it still; else read again by its new name.
     */
    private Duration dadTime(DeviceSpec d, Link l) {
        Sysctls sysctls = Sysctls.of(res.hosts.get(d.ns()));
        NamespaceSpec n = plan.spec().namespace(d.ns());
        if (!n.root() && !n.adopted()) {
            return sysctls.dadTime(d.name());
        }
        NetlinkHandle h = res.handle(d.ns());
        String name = l.name();
        for (int tries = 1; ; tries++) {
            Duration t = null;
            try {
                t = sysctls.dadTime(name);
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof NoSuchFileException) || tries == 10) {
                    throw e;
                }
            }
            String now = h.linkGet(l.index())
                    .orElseThrow(() -> new NoSuchElementException(
                            d.qualifiedName() + " is gone: there is no device with its index " + l.index() + " there"))
                    .name();
            if (t != null && now.equals(name)) {
                return t;
            }
            if (tries == 10) {
                throw new IllegalStateException(
                        d.qualifiedName() + " was renamed " + tries + " times while its DAD settings were read");
            }
            name = now;
        }
    }

    /**
     * How much longer than the kernel's own DAD time (its settings for the device) apply waits for DAD.
     * The wait ends when DAD does; the margin only bounds a DAD that never ends. The kernel's timers run
     * late on a loaded machine: with 1 s, an apply failed once with DAD not over after 3 s (2 s of
     * settings) at a load of 4 on 2 CPUs, a parallel test run.
     */
    static final Duration DAD_MARGIN = Duration.ofSeconds(5);

    /**
     * Waits until the kernel's duplicate address detection of each address of {@code steps} (IPv6
     * addresses on up devices in the root or an adopted namespace, where foreign hosts may share the
     * link: {@link AddrAddStep#keepsDad()}; and every IPv6 address of a device a step brought up there,
     * in a topology that uses IPv6: the link-local ones the kernel added; and every IPv6 address of
     * the devices a change that brings IPv6 in keeps up: {@link #keptInDad}) is over. Until then the
     * address is {@code tentative}: a bind to it fails (EADDRNOTAVAIL), nothing is delivered to it,
     * for 1-2 s with the kernel's defaults, each address after its own random delay. DAD waits for a
     * carrier, so an address on a device without one is not waited for.
     * Each device's wait is bounded by its own DAD time ({@link Sysctls#dadTime}) plus
     * {@link #DAD_MARGIN}, counted from here: the kernel runs the detections side by side.
     *
     * @throws StepFailure naming the address's step when DAD found the address in use on the link
     *         ({@code dadfailed}) or had not ended in time
     */
    private void awaitDad(List<DadWait> waits) {
        long start = System.nanoTime();
        Map<DeviceKey, Link> links = new HashMap<>();
        Map<DeviceKey, Long> deadlines = new HashMap<>();
        for (DadWait w : waits) {
            DeviceSpec d = w.device();
            DeviceKey key = DeviceKey.of(d);
            try {
                Link l = links.computeIfAbsent(key, k -> res.ownLink(plan.spec(), d.ns(), d.name()));
                if (!l.isUp() || !l.isLowerUp()) {
                    continue;
                }
                long deadline = deadlines.computeIfAbsent(
                        key, k -> start + dadTime(d, l).plus(DAD_MARGIN).toNanos());
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                if (w.address() != null) {
                    res.handle(d.ns()).awaitDad(l.index(), w.address(), left);
                } else {
                    res.handle(d.ns()).awaitDad(List.of(l.index()), left);
                }
            } catch (RuntimeException e) {
                throw new StepFailure(w.step(), e);
            }
        }
    }

    /** For {@link ApplyOptions#fault()}: how many root-namespace devices the plan has yet to make; -1: not counted yet. */
    private int rootDevicesLeft = -1;

    /** Carries out {@code rounds} ({@link Rounds}), each namespace's batch of a round in turn. */
    private void runRounds(List<Map<String, List<Step>>> rounds) {
        for (Map<String, List<Step>> round : rounds) {
            for (Map.Entry<String, List<Step>> e : round.entrySet()) {
                cancelIfInterrupted(e.getValue().get(0));
                new Batch(e.getKey()).run(e.getValue());
            }
        }
    }

    /**
     * Cancels at {@code next} when the caller was interrupted since apply began (apply and change
     * hold back an interrupt pending when they begin): after the namespaces, the steps run in the
     * caller's thread with no hand-off to another thread that would notice it. One read of the
     * thread's interrupt status, no syscall, before each namespace's batch of each round. The flag
     * stays set: the rollback holds it back ({@link Uninterrupted}) and gives it back.
     */
    private static void cancelIfInterrupted(Step next) {
        if (Thread.currentThread().isInterrupted()) {
            throw new StepFailure(next, new CancellationException("interrupted before step " + next.describe()));
        }
    }

    /** The steps of one namespace in a round: pipelined, where unbatched steps (taps, sysctls) break the batch. */
    private final class Batch implements Op.Kernel {
        private final NetlinkHandle h;
        private NetlinkBatch batch;
        private List<Step> inBatch = new ArrayList<>();

        Batch(String ns) {
            this.h = res.handle(ns);
            this.batch = h.batch();
        }

        void run(List<Step> steps) {
            for (Step s : steps) {
                Op k = s.op();
                if (!k.batched()) {
                    flush();
                }
                try {
                    k.carryOut(this);
                } catch (RuntimeException e) {
                    if (k.batched()) {
                        flush();
                    }
                    throw new StepFailure(s, e);
                }
                if (k.batched()) {
                    inBatch.add(s);
                    if (k.endsBatch() || s.index() == options.othersAfter()) {
                        flush();
                    }
                }
            }
            flush();
        }

        private void flush() {
            if (inBatch.isEmpty()) {
                return;
            }
            List<Step> steps = inBatch;
            NetlinkBatch b = batch;
            inBatch = new ArrayList<>();
            batch = h.batch();
            if (LOG.isLoggable(System.Logger.Level.TRACE)) {
                steps.forEach(st -> LOG.log(System.Logger.Level.TRACE, st.describe()));
            }
            try {
                b.execute();
            } catch (BatchException e) {
                throw new StepFailure(steps.get(Math.min(e.failedIndex(), steps.size() - 1)), e);
            }
            if (steps.get(steps.size() - 1).index() == options.othersAfter()) {
                options.others().run();
            }
            if (options.fault() != ApplyOptions.Fault.NONE) {
                fault(steps);
            }
            for (Step s : steps) {
                if (s.op() instanceof LinkAddStep add) {
                    for (DeviceKey d : add.numberedByKernel()) {
                        if (index.get(d) == null) {
                            // no echo: a vxlan made down, whose driver configures it itself, so that the
                            // request's configuration announces only a change of its flags, and there is none.
                            // The device of its name must carry the topology's group, or the step fails.
                            try {
                                indexed(
                                        d,
                                        res.ownLink(plan.spec(), d.ns(), d.dev())
                                                .index());
                            } catch (RuntimeException e) {
                                throw new StepFailure(s, e);
                            }
                        }
                    }
                }
            }
        }

        /**
         * The {@link ApplyOptions#fault()} once {@code steps}, just acknowledged, made the last of the
         * root-namespace devices (they carry the root group from their creating request: teardown and
         * cleanup find them by it, whatever became of the acks).
         */
        private void fault(List<Step> steps) {
            if (rootDevicesLeft < 0) {
                rootDevicesLeft = 0;
                for (Step s : plan.steps()) {
                    rootDevicesLeft += RootDevices.createdBy(s) != null ? 1 : 0;
                }
            }
            int made = 0;
            for (Step s : steps) {
                made += RootDevices.createdBy(s) != null ? 1 : 0;
            }
            rootDevicesLeft -= made;
            if (made == 0 || rootDevicesLeft > 0) {
                return;
            }
            if (options.fault() == ApplyOptions.Fault.HALT_AFTER_ROOT_DEVICES) {
                Runtime.getRuntime().halt(137);
            }
            throw new StepFailure(steps.get(0), new IllegalStateException("acks lost (test hook)"));
        }

        @Override
        public Resources res() {
            return res;
        }

        @Override
        public NetlinkBatch batch() {
            return batch;
        }

        /**
         * The index chosen or learnt, else, for a device that was there before a change, the index the
         * topology knows it by ({@link Resources#ownLink}): its name could be someone else's device by now.
         *
         * @throws java.util.NoSuchElementException when it is not, naming it
         */
        @Override
        public Integer index(DeviceKey dev) {
            Integer i = index.get(dev);
            if (i == null && madeBefore(dev)) {
                i = res.ownLink(plan.base(), dev.ns(), dev.dev()).index();
                index.put(dev, i);
            }
            return i;
        }

        private boolean madeBefore(DeviceKey dev) {
            return plan.base() != null
                    && plan.base()
                            .findNamespace(dev.ns())
                            .flatMap(n -> n.device(dev.dev()))
                            .isPresent();
        }

        @Override
        public void indexed(DeviceKey dev, int ifindex) {
            // where the topology made the namespace, at or below its mark: its own choice; elsewhere the
            // kernel's, as a tap's fd or a creating request's echo told it, kept for the topology's life
            index.put(dev, ifindex);
            res.deviceMade(dev, ifindex);
        }

        @Override
        public int group(String namespace) {
            return roots.groupOf(namespace);
        }
    }
}
