package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.Kind;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The crash-record bookkeeping of an apply, for what outlives the JVM unless removed: named
 * namespaces, and the devices made in the root namespace and in adopted ones, which carry a device
 * group from their creating request so that teardown and cleanup find them by it, whatever became
 * of the acks.
 */
final class RootDevices {
    private final Resources res;
    /** The device group of the devices made in a namespace, where a change says. */
    private final Map<String, Integer> tags = new HashMap<>();

    RootDevices(Resources res, Map<String, Integer> tags) {
        this.res = res;
        this.tags.putAll(tags);
    }

    /**
     * Writes the crash record of {@code plan} when it makes anything that outlives the JVM, and
     * chooses the device group of its devices in the root and adopted namespaces, before the first
     * of them is made: one no device there carries and no record names ({@link DeviceGroups}).
     *
     * @throws StepFailure at the first step when the record cannot be written ({@link #beforeFirstStep})
     */
    void begin(Plan plan) {
        TopologySpec spec = plan.spec();
        if (!needsRecord(spec)) {
            return;
        }
        beforeFirstStep(plan, () -> {
            RunDir dir = RunDir.current();
            res.record = CrashRecord.begin(dir, describe(spec));
            boolean root = createsRootDevices(plan);
            boolean adopted = createsAdoptedDevices(spec);
            if (!root && !adopted) {
                return;
            }
            // one group for both, unused in the root namespace and in every adopted one (a change may
            // add the first device of one that has none yet)
            Set<Integer> inUse = DeviceGroups.recorded(dir);
            if (root) {
                try (NetNamespace ns = NetNamespace.root();
                        NetlinkHandle h = NetlinkHandle.open(ns)) {
                    DeviceGroups.carried(h, inUse);
                }
            }
            if (adopted) {
                for (NamespaceSpec n : spec.namespaces()) {
                    if (n.adopted()) {
                        DeviceGroups.carried(res.handle(n.name()), inUse);
                    }
                }
            }
            int group = DeviceGroups.unused(inUse);
            if (root) {
                res.record.rootDevices(RecordReach.rootCookie(), group, RecordReach.rootReach());
                res.rootGroup = group;
            }
            if (adopted) {
                for (NamespaceSpec n : spec.namespaces()) {
                    if (n.adopted()) {
                        NetNamespace ns = res.hosts.get(n.name());
                        res.record.adoptedDevices(ns.cookie(), group, Adoptions.reach(n.adoption(), ns));
                    }
                }
                res.adoptedGroup = group;
            }
        });
    }

    /**
     * Writes the crash record when a change adds the first thing of a topology that outlives the
     * JVM: a named namespace (a change adds no first device in the root or an adopted namespace).
     *
     * @throws StepFailure at the change's first step when the record cannot be written ({@link #beforeFirstStep})
     */
    void beginChange(Plan delta) {
        if (res.record == null && needsRecord(delta.spec())) {
            beforeFirstStep(delta, () -> res.record = CrashRecord.begin(RunDir.current(), describe(delta.spec())));
        }
    }

    /**
     * Writes lines of the crash record ({@code writes}) that come before the first step of {@code plan}:
     * a record that cannot be written (a full or read-only file system, a record directory that
     * cannot be made) is the failure of that step, as a refusal of the kernel's would be: the record is
     * what lets a cleanup remove what the steps make should this JVM die, so no step runs without it.
     * A directory that may not be trusted stays an IllegalStateException: no failure of a step.
     *
     * @throws StepFailure at the first step of {@code plan}, with the UncheckedIOException
     */
    private static void beforeFirstStep(Plan plan, Runnable writes) {
        try {
            writes.run();
        } catch (UncheckedIOException e) {
            if (plan.steps().isEmpty()) {
                throw e;
            }
            throw new StepFailure(plan.steps().get(0), e);
        }
    }

    /** The device group that tags the devices made in namespace {@code ns}, or 0 for none. */
    int groupOf(String ns) {
        Integer tag = tags.get(ns);
        if (tag != null) {
            return tag;
        }
        if (TopologySpec.ROOT.equals(ns)) {
            return res.rootGroup;
        }
        return res.adopted.contains(ns) ? res.adoptedGroup : 0;
    }

    /** The name of the root-namespace device {@code s} creates, or null. */
    static String createdBy(Step s) {
        if (!(s.op() instanceof LinkAddStep add) || add.device().kind() == Kind.TAP) {
            return null; // a tap is no netlink request: it goes with its fd
        }
        DeviceSpec d = add.device();
        if (TopologySpec.ROOT.equals(d.ns())) {
            return d.name();
        }
        if (d.isVeth() && TopologySpec.ROOT.equals(d.peerNs())) {
            return d.peerName();
        }
        return null;
    }

    private static boolean needsRecord(TopologySpec spec) {
        if (createsAdoptedDevices(spec)) {
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

    /** Whether a netlink request of {@code plan} creates a device in the root namespace (a tap is no netlink request). */
    private static boolean createsRootDevices(Plan plan) {
        for (Step s : plan.steps()) {
            if (createdBy(s) != null) {
                return true;
            }
        }
        return false;
    }

    /** Whether the topology creates a device (a veth end included) in a namespace it adopts. */
    private static boolean createsAdoptedDevices(TopologySpec spec) {
        for (NamespaceSpec n : spec.namespaces()) {
            if (n.adopted() && !n.devices().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    static String describe(TopologySpec spec) {
        StringBuilder s = new StringBuilder();
        for (NamespaceSpec n : spec.namespaces()) {
            if (s.length() > 0) {
                s.append(' ');
            }
            if (n.root()) {
                s.append("(root)");
            } else if (n.adopted()) {
                s.append(n.name()).append("(adopted ").append(n.adoption()).append(')');
            } else if (n.kernelName() != null) {
                s.append(n.kernelName());
            } else {
                s.append(n.name()).append("(ephemeral)");
            }
        }
        return s.toString();
    }
}
