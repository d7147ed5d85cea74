package io.github.netvirt.tap.impair;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.Require;
import io.github.netvirt.tap.DeviceKind;
import io.github.netvirt.tap.TapDevice;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Two TAP devices, one in each of two namespaces, and a relay in this JVM that copies every frame
 * read from one to the other through a seeded {@link Impairer} per direction (its own random stream
 * each, derived from one seed). What the kernel transmits on TAP A arrives on TAP B after the
 * direction's {@link Impairment}, and the other way round.
 *
 * <p>This is the frame path of both of netvirt's userspace impairments: the impaired link of
 * netvirt-faults (the TAPs carry the addresses) and the link conditions of netvirt-core on kernels
 * without {@code netem} (tc {@code mirred} steers a veth's frames through the TAPs). It lives in
 * netvirt-tap, below both, because it is a TAP tool: it needs TAP fds, a thread pair per direction
 * and nothing of a topology.
 *
 * <p>Only IPv4 and IPv6 frames to a unicast MAC are impaired; ARP, neighbour discovery (unicast
 * too), MLD and other broadcast or multicast frames pass untouched (the link's housekeeping must not
 * shift the decisions of the traffic under test). IPv6 is disabled on a TAP device unless its side
 * asks for it ({@link Side#withIpv6()}: it carries an IPv6 address), so that a device that has no
 * use for IPv6 sends none of its housekeeping (router solicitations, MLD reports). The n-th IP
 * frame of a direction gets the same {@link Verdict} for the same seed whatever the timing (the one
 * exception: a frame held back for reordering is let go after 500 ms if no other frame follows).
 *
 * <p>Thread-safe. {@link #close()} stops the relay (frames in flight are discarded) and removes both
 * devices; it is idempotent.
 */
public final class TapRelay implements AutoCloseable {
    /** The two directions. */
    public enum Direction {
        A_TO_B,
        B_TO_A
    }

    /** Test hook: runs with each TAP device right after it was made, before it is set up. */
    static volatile Consumer<TapDevice> afterOpen = tap -> {};

    private final long seed;
    private final TapDevice a;
    private final TapDevice b;
    private final Relay aToB;
    private final Relay bToA;
    private boolean closed;

    private TapRelay(long seed, TapDevice a, TapDevice b, Relay aToB, Relay bToA) {
        this.seed = seed;
        this.a = a;
        this.b = b;
        this.aToB = aToB;
        this.bToA = bToA;
    }

    /**
     * Where one TAP of a relay goes: namespace {@code ns}, device {@code device} (a name, a template
     * such as {@code imp%d}, or empty for the kernel's default template {@code tap%d}) and
     * {@code ifindex} (0: the kernel chooses; else the device is created with it,
     * {@link TapDevice.Builder#ifindex}); {@code ipv6}: whether the device keeps IPv6 on (off by default).
     */
    public record Side(NetNamespace ns, String device, int ifindex, boolean ipv6) {
        public Side {
            Objects.requireNonNull(ns, "ns");
            Objects.requireNonNull(device, "device");
            Require.nonNegative(ifindex, "ifindex");
        }

        /** Device {@code device} in {@code ns} with ifindex {@code ifindex} (0: the kernel's choice), IPv6 off. */
        public Side(NetNamespace ns, String device, int ifindex) {
            this(ns, device, ifindex, false);
        }

        /** Device {@code device} in {@code ns}, numbered by the kernel, IPv6 off. */
        public static Side of(NetNamespace ns, String device) {
            return new Side(ns, device, 0);
        }

        /** This side with IPv6 on its device, for an IPv6 address on it. */
        public Side withIpv6() {
            return new Side(ns, device, ifindex, true);
        }

        /** Two handles may hold one namespace: they are compared by its cookie. */
        private boolean sameDeviceAs(Side o) {
            return (ifindex > 0 && ifindex == o.ifindex
                            || device.equals(o.device) && !device.isEmpty() && !device.contains("%"))
                    && (ns == o.ns || ns.cookie() == o.ns.cookie());
        }
    }

    /**
     * Creates TAP {@code a} and TAP {@code b}, up, without addresses, with MTU {@code mtu} (0: the
     * default), and starts the relay between them.
     *
     * @throws IllegalArgumentException if both devices would be the same (one name or one ifindex in one namespace,
     *         whichever handles on it the sides hold); nothing is made
     * @throws RuntimeException the kernel's refusal (a {@code SyscallException} or {@code NetlinkException});
     *         nothing is left behind
     */
    public static TapRelay open(Side a, Side b, int mtu, Impairment aToB, Impairment bToA, long seed) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(aToB, "aToB");
        Objects.requireNonNull(bToA, "bToA");
        if (a.sameDeviceAs(b)) {
            throw new IllegalArgumentException("both ends are " + a + " and " + b + ": the same device");
        }
        TapDevice tapA = null;
        TapDevice tapB = null;
        try {
            tapA = port(a, mtu);
            tapB = port(b, mtu);
            SplitMix64 seeds = new SplitMix64(seed);
            Relay ab = new Relay(tapA.name() + ">" + tapB.name(), tapA, tapB, new Impairer(seeds.nextLong(), aToB));
            Relay ba = new Relay(tapB.name() + ">" + tapA.name(), tapB, tapA, new Impairer(seeds.nextLong(), bToA));
            ab.start();
            ba.start();
            return new TapRelay(seed, tapA, tapB, ab, ba);
        } catch (RuntimeException e) {
            if (tapA != null) {
                tapA.close();
            }
            if (tapB != null) {
                tapB.close();
            }
            throw e;
        }
    }

    /**
     * One end: a TAP device opened where {@code side} says, with IPv6 off unless the side asks for
     * it, its MTU (if given) and the link up.
     */
    private static TapDevice port(Side side, int mtu) {
        TapDevice.Builder options =
                side.device().isEmpty() ? TapDevice.of(DeviceKind.TAP) : TapDevice.tap(side.device());
        TapDevice tap = options.ifindex(side.ifindex())
                .createOnly(true) // never someone's persistent tap
                .open(side.ns());
        try {
            afterOpen.accept(tap);
            tap.setIpv6Disabled(!side.ipv6());
            if (mtu > 0) {
                tap.setMtu(mtu);
            }
            tap.up();
            return tap;
        } catch (RuntimeException e) {
            tap.close();
            throw e;
        }
    }

    public long seed() {
        return seed;
    }

    /** The TAP device's name on side A (the kernel's, if a template was given). */
    public String deviceA() {
        return a.name();
    }

    public String deviceB() {
        return b.name();
    }

    /** The ifindex of TAP A in its namespace. */
    public int indexA() {
        return a.ifindex();
    }

    public int indexB() {
        return b.ifindex();
    }

    /** Changes the impairment of one direction from the next frame on; the random stream continues. */
    public void impairment(Direction d, Impairment impairment) {
        relay(d).impairer.impairment(Objects.requireNonNull(impairment));
    }

    public Impairment impairment(Direction d) {
        return relay(d).impairer.impairment();
    }

    /** Every verdict given so far in direction {@code d} (up to the first million), in order. */
    public List<Verdict> verdicts(Direction d) {
        return relay(d).verdicts();
    }

    public RelayStats stats(Direction d) {
        return relay(d).stats();
    }

    private Relay relay(Direction d) {
        return d == Direction.A_TO_B ? aToB : bToA;
    }

    /** Whether the relay runs: until {@link #close()}. */
    public synchronized boolean isOpen() {
        return !closed;
    }

    /** Stops the relay (frames still queued are discarded) and removes both TAP devices. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        aToB.stop();
        bToA.stop();
        // closing the devices wakes the readers, and returns once no thread is inside a read or write
        a.close();
        b.close();
        aToB.join();
        bToA.join();
    }

    @Override
    public String toString() {
        return "TapRelay[" + a.name() + " <-> " + b.name() + ", seed " + seed + "]";
    }
}
