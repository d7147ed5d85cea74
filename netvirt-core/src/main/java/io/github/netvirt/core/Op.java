package io.github.netvirt.core;

import io.github.netvirt.netlink.NetlinkBatch;
import java.util.List;

/**
 * What a {@link Step} does, one record per kind of step: its iproute2 commands and its kernel
 * request, both from the record's fields, so the script and the applied network cannot drift apart
 * ({@code StepRenderingTest} walks every kind).
 */
sealed interface Op
        permits DeviceStep, NamespaceStep, RouteAddStep, RouteDelStep, ForwardingStep, DadStep, ConditionStep {

    /** What this kind of step does: each record does one {@link Action}, and names it there. */
    default Action action() {
        return Action.of(this);
    }

    /** The logical name of the namespace the request is made in. */
    String ns();

    /** The iproute2 commands that do the same as the request. */
    List<String> commands();

    /**
     * Whether the request goes into the namespace's pipelined netlink batch; otherwise
     * {@link #carryOut} makes its system calls itself (a tap, a sysctl, a deletion).
     */
    default boolean batched() {
        return true;
    }

    /**
     * Whether the batch is sent once this {@link #batched()} step is in it, before the next step's request
     * is made: the next ones use what its answer tells ({@link Kernel#indexed}).
     */
    default boolean endsBatch() {
        return false;
    }

    /** Makes the step's kernel request: into {@link Kernel#batch()} when {@link #batched()}. */
    void carryOut(Kernel k);

    /** What {@link Step#describe()} says after the step's index and action. */
    String subject();

    /** What a step's request needs from the apply in progress. */
    interface Kernel {

        Resources res();

        /** The batch of the step's namespace (for {@link #batched()} steps). */
        NetlinkBatch batch();

        /** The ifindex of a device, when known before the request (so none looks a name up), or null. */
        Integer index(DeviceKey dev);

        /** Notes the ifindex of a device learnt from the kernel (an echo may tell it while the batch runs). */
        void indexed(DeviceKey dev, int ifindex);

        /** The device group that tags the devices made in {@code ns}, 0 for none. */
        int group(String ns);

        /** Where the resources of the namespaces a change removes go, torn down once its steps are done. */
        default Resources released() {
            throw new IllegalStateException("only a change removes namespaces");
        }
    }

    /**
     * A kernel of requests made without chosen ifindexes or device groups: for removals, each made
     * at once (no {@code batch}), whose namespaces go to {@code released}.
     */
    record Unplanned(Resources res, NetlinkBatch batch, Resources released) implements Kernel {
        @Override
        public Integer index(DeviceKey dev) {
            return null;
        }

        @Override
        public void indexed(DeviceKey dev, int ifindex) {
            // nothing is planned
        }

        @Override
        public int group(String ns) {
            return 0;
        }
    }
}
