package io.github.netvirt.faults.impair;

import io.github.netvirt.netlink.AddressSpec;
import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.tap.impair.Impairment;
import io.github.netvirt.tap.impair.RelayStats;
import io.github.netvirt.tap.impair.TapRelay;
import io.github.netvirt.tap.impair.Verdict;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * Two namespaces joined by a link that delays, jitters, loses, duplicates and reorders frames in
 * userspace: each namespace gets a TAP device with the endpoint's address, and a relay in this JVM
 * ({@link TapRelay}, netvirt-tap) copies frames between the two through a seeded
 * {@link io.github.netvirt.tap.impair.Impairer} per direction. Where the kernel lacks {@code netem}
 * (see {@link io.github.netvirt.faults.Netem#isAvailable()}) this is the way to impair a path, and
 * unlike netem its decisions are replayable: the n-th IP frame of a direction gets the same
 * verdict for the same seed, whatever the timing, so a failing test can be re-run exactly (the one
 * exception: a frame held back for reordering is let go after 500 ms if no other frame follows).
 * To impair a link declared in a topology instead, give it a condition (netvirt-core's
 * {@code TopologyBuilder.delay/loss/rate}).
 *
 * <p>Only IPv4 and IPv6 frames to a unicast MAC are impaired; ARP, IPv6 neighbour discovery and
 * other broadcast or multicast frames pass untouched (a lost ARP would only add the kernel's retry
 * timers to the test, and the kernel's own neighbour discovery must not consume decisions). IPv6 is
 * on only for a TAP device whose endpoint has an IPv6 address, which is usable at once (added
 * without duplicate address detection: the link joins only the two endpoints). Closing the link stops the
 * relay and removes both devices. A null argument is refused first, with a
 * {@link NullPointerException} naming it.
 */
public final class ImpairedLink implements AutoCloseable {
    /** The two directions of the link. */
    public enum Direction {
        A_TO_B,
        B_TO_A
    }

    private final TapRelay relay;

    private ImpairedLink(TapRelay relay) {
        this.relay = relay;
    }

    /** A link impaired the same way in both directions (each direction with its own seeded stream). */
    public static ImpairedLink open(Endpoint a, Endpoint b, Impairment impairment, long seed) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(impairment, "impairment");
        return open(a, b, impairment, impairment, seed);
    }

    /** A link with its own impairment per direction. */
    public static ImpairedLink open(Endpoint a, Endpoint b, Impairment aToB, Impairment bToA, long seed) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(aToB, "aToB");
        Objects.requireNonNull(bToA, "bToA");
        checkAddresses(a, b);
        TapRelay r = TapRelay.open(side(a), side(b), 0, aToB, bToA, seed);
        try {
            address(a, r.indexA());
            address(b, r.indexB());
            return new ImpairedLink(r);
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    /** The ends' addresses, when both have one, as two hosts of one segment have them: one family, two addresses. */
    private static void checkAddresses(Endpoint a, Endpoint b) {
        InetAddress x = a.address();
        InetAddress y = b.address();
        if (x == null || y == null) {
            return;
        }
        if (x instanceof Inet6Address != y instanceof Inet6Address) {
            throw new IllegalArgumentException("the ends' addresses " + x.getHostAddress() + " and "
                    + y.getHostAddress() + " are of two families: the link would carry traffic between neither");
        }
        if (x.equals(y)) {
            throw new IllegalArgumentException("both ends have the address " + x.getHostAddress());
        }
    }

    private static TapRelay.Side side(Endpoint e) {
        TapRelay.Side s = TapRelay.Side.of(e.namespace(), e.device());
        return e.address() instanceof Inet6Address ? s.withIpv6() : s;
    }

    private static void address(Endpoint e, int index) {
        if (e.address() != null) {
            AddressSpec spec = AddressSpec.of(index, new IpPrefix(e.address(), e.prefixLength()));
            try (NetlinkHandle h = NetlinkHandle.open(e.namespace())) {
                h.addrAdd(e.address() instanceof Inet6Address ? spec.noDad() : spec);
            }
        }
    }

    public long seed() {
        return relay.seed();
    }

    /** The TAP device's name on side A (the kernel's, if a template or an empty name was given). */
    public String deviceA() {
        return relay.deviceA();
    }

    public String deviceB() {
        return relay.deviceB();
    }

    /** Changes the impairment of one direction from the next frame on; the random stream continues. */
    public void impairment(Direction direction, Impairment impairment) {
        TapRelay.Direction d = map(direction);
        relay.impairment(d, Objects.requireNonNull(impairment, "impairment"));
    }

    public Impairment impairment(Direction direction) {
        return relay.impairment(map(direction));
    }

    /** Every verdict given so far in {@code direction} (up to the first million), in order. */
    public List<Verdict> verdicts(Direction direction) {
        return relay.verdicts(map(direction));
    }

    public RelayStats stats(Direction direction) {
        return relay.stats(map(direction));
    }

    /** @throws NullPointerException if {@code direction} is null (which would read as B_TO_A) */
    private static TapRelay.Direction map(Direction direction) {
        return Objects.requireNonNull(direction, "direction") == Direction.A_TO_B
                ? TapRelay.Direction.A_TO_B
                : TapRelay.Direction.B_TO_A;
    }

    /** Whether the link relays frames: until {@link #close()}. */
    public boolean isOpen() {
        return relay.isOpen();
    }

    /** Stops the relay (frames still queued are discarded) and removes both TAP devices. */
    @Override
    public void close() {
        relay.close();
    }

    @Override
    public String toString() {
        return "ImpairedLink[" + relay.deviceA() + " <-> " + relay.deviceB() + ", seed " + relay.seed() + "]";
    }
}
