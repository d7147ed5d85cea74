package io.github.netvirt.core;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/** What one {@link Step} does; each maps to one kernel request (or, for namespaces, one syscall sequence). */
public enum Action {
    /** {@code ip netns add}, and {@code lo} up. */
    NS_ADD(NsAddStep.class),
    /**
     * {@code ip link add} (a veth creates both of its ends), with {@code master BRIDGE} and {@code up}
     * for the device it names where the plan allows; a TAP is opened through {@code /dev/net/tun}.
     */
    LINK_ADD(LinkAddStep.class),
    /** {@code ip link set dev X mtu N address M}. */
    LINK_SET(LinkSetStep.class),
    /** {@code ip link set dev X master BRIDGE}, for a device that cannot join in its creation (a TAP, say). */
    LINK_MASTER(MasterStep.class),
    /** {@code ip link set dev X up}, for a device not created up (a TAP, a veth's other end). */
    LINK_UP(UpStep.class),
    /** {@code ip address add}. */
    ADDR_ADD(AddrAddStep.class),
    /** {@code ip route add}. */
    ROUTE_ADD(RouteAddStep.class),
    /** {@code net.ipv4.ip_forward} and {@code net.ipv6.conf.all.forwarding} set to 1 inside the namespace. */
    FORWARDING(ForwardingStep.class),
    /**
     * {@code net.ipv6.conf.default.accept_dad} and each device's set to 0 inside a namespace, only in
     * the change that gives an IPv4-only topology its first IPv6 address or route.
     */
    DAD_OFF(DadOffStep.class),
    /**
     * {@code net.ipv6.conf.default.accept_dad} and each device's set back to 1 inside a namespace, only
     * in the change that removes a topology's last IPv6 address and route.
     */
    DAD_ON(DadOnStep.class),
    /**
     * {@code tc qdisc add} on both ends of a veth pair (or, without netem, a relay in the JVM through a
     * TAP beside each end) for the link condition declared with it, after the other steps of an apply.
     */
    LINK_CONDITION(ConditionStep.class),
    /** {@code ip route del}, only in a change of a live topology. */
    ROUTE_DEL(RouteDelStep.class),
    /** {@code ip address del}, only in a change of a live topology. */
    ADDR_DEL(AddrDelStep.class),
    /** {@code ip link del dev X} (a veth: both ends), only in a change of a live topology. */
    LINK_DEL(LinkDelStep.class),
    /** {@code ip netns del}, only in a change of a live topology. */
    NS_DEL(NsDelStep.class);

    private static final Map<Class<? extends Op>, Action> BY_KIND =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(a -> a.kind, a -> a));

    /** The record of the one kind of step that does this action. */
    private final Class<? extends Op> kind;

    Action(Class<? extends Op> kind) {
        this.kind = kind;
    }

    /**
     * What {@code op} does: the action of its kind of step.
     *
     * @throws IllegalStateException if no action names that kind
     */
    static Action of(Op op) {
        Action a = BY_KIND.get(op.getClass());
        if (a == null) {
            throw new IllegalStateException("no action names " + op.getClass().getSimpleName());
        }
        return a;
    }
}
