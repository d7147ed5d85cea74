package io.github.netvirt.faults;

import io.github.netvirt.core.ConditionedLink;
import io.github.netvirt.core.Topology;
import io.github.netvirt.core.spec.LinkCondition;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netns.internal.Uninterrupted;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A rate, delay, jitter or loss put on a live link of a topology, as a {@link Fault}: what
 * {@link Topology#condition} does, healed by {@link #heal()} (or when the topology closes).
 * netem where the kernel has it, otherwise netvirt-core's seeded userspace relay, whose decisions
 * replay from the condition's seed; see {@link ConditionedLink}.
 *
 * <pre>{@code
 * try (Fault slow = LinkConditionFault.on(topology, "client", "eth0",
 *         LinkCondition.NONE.withDelay(Duration.ofMillis(100)).withLoss(0.05).withSeed(7))) {
 *     ... 200 ms round trips and 5 % loss each way on client/eth0's pair ...
 * }
 * }</pre>
 */
public final class LinkConditionFault implements Fault {
    private final ConditionedLink link;

    private LinkConditionFault(ConditionedLink link) {
        this.link = link;
    }

    /**
     * Puts {@code condition} on the veth pair whose end is {@code dev} in namespace {@code ns} of {@code topology}.
     *
     * @throws NullPointerException if an argument is null, naming it (before the topology is asked)
     * @throws NoSuchElementException if the topology has no such namespace or device
     * @throws IllegalArgumentException if {@code dev} is not a veth end or the condition is empty
     * @throws NetlinkException if the kernel refuses (EEXIST: the link already has a condition,
     *         or an end has a root qdisc of its own, e.g. a {@link RateLimit}, which a relay would bypass)
     * @throws IllegalStateException if the topology is closed
     */
    public static LinkConditionFault on(Topology topology, String ns, String dev, LinkCondition condition) {
        Objects.requireNonNull(topology, "topology");
        Objects.requireNonNull(ns, "ns");
        Objects.requireNonNull(dev, "dev");
        Objects.requireNonNull(condition, "condition");
        return new LinkConditionFault(topology.condition(ns, dev, condition));
    }

    /** The condition in force, with its mode, verdicts and script. */
    public ConditionedLink link() {
        return link;
    }

    /**
     * {@link ConditionedLink#heal()}, with the caller's interrupts (pending, or arriving meanwhile) held
     * back as the other faults' heals; as theirs, one that threw leaves the fault active, and the next heal (or the topology's
     * close) tries again what is left.
     */
    @Override
    public void heal() {
        Uninterrupted.run(link::heal);
    }

    @Override
    public boolean isActive() {
        return link.isActive();
    }

    @Override
    public String toString() {
        return "LinkConditionFault[" + link + "]";
    }
}
