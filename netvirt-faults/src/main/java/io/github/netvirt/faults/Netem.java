package io.github.netvirt.faults;

import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.QdiscSpec;
import io.github.netvirt.netns.Names;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.sys.Errno;
import java.time.Duration;
import java.util.Objects;

/**
 * Delay, jitter, loss and duplication through the kernel's {@code netem} qdisc, where the kernel has
 * it. Many CI kernels (this project's included) are built without {@code sch_netem}: check
 * {@link #isAvailable()}, and use {@link io.github.netvirt.faults.impair.ImpairedLink} (a seeded
 * userspace relay) where it is missing. Availability is detected by trying: a netem qdisc is added
 * to {@code lo} of a throw-away namespace.
 *
 * @param seed netem's PRNG seed ({@code TCA_NETEM_PRNG_SEED}), 0 for a random one
 */
public record Netem(Duration delay, Duration jitter, double loss, double duplicate, long seed) {
    private static volatile String unavailableReason;
    private static volatile boolean probed;

    public Netem {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(jitter, "jitter");
        if (delay.isNegative() || jitter.isNegative()) {
            throw new IllegalArgumentException("delay and jitter must be >= 0, got " + delay + ", " + jitter);
        }
        if (!(loss >= 0 && loss <= 1) || !(duplicate >= 0 && duplicate <= 1)) {
            throw new IllegalArgumentException(
                    "loss and duplicate are fractions in [0, 1], got " + loss + ", " + duplicate);
        }
    }

    /** True if this kernel has the netem qdisc. Detected once, by trying. */
    public static boolean isAvailable() {
        return unavailableReason() == null;
    }

    /** Why netem cannot be used here, or null if it can. */
    public static String unavailableReason() {
        if (!probed) {
            synchronized (Netem.class) {
                if (!probed) {
                    unavailableReason = probe();
                    probed = true;
                }
            }
        }
        return unavailableReason;
    }

    private static String probe() {
        try (NetNamespace ns = NetNamespace.ephemeral();
                NetlinkHandle h = NetlinkHandle.open(ns)) {
            h.qdiscReplace(new Netem(Duration.ofMillis(1), Duration.ZERO, 0, 0, 0).spec(h.linkIndex("lo")));
            return null;
        } catch (NetlinkException e) {
            if (e.is(Errno.ENOENT)) {
                return "this kernel has no netem qdisc (sch_netem): adding one answered \"" + e.getMessage()
                        + "\"; use io.github.netvirt.faults.impair.ImpairedLink for delay, jitter and loss";
            }
            return "netem could not be probed: " + e.getMessage();
        }
    }

    /**
     * Puts this netem on {@code device} in {@code ns} as its root qdisc until the returned fault is
     * healed, which removes it if it is still there: by the handle the kernel gave it, so a root
     * qdisc someone put in its place since stays.
     *
     * @throws NullPointerException if {@code ns} or {@code device} is null, naming it (before netem is probed for)
     * @throws IllegalArgumentException if {@code device} is not an interface name (before netem is probed for)
     * @throws UnsupportedOperationException if the kernel has no netem, saying so (nothing is changed)
     * @throws NetlinkException ENODEV when there is no such device, EEXIST when it has a root qdisc
     *         already (another fault, a link condition): nothing is changed; or the kernel's refusal
     * @throws IllegalStateException if {@code ns} is closed
     */
    public Fault on(NetNamespace ns, String device) {
        Objects.requireNonNull(ns, "ns");
        Objects.requireNonNull(device, "device");
        Names.checkInterface(device);
        String reason = unavailableReason();
        if (reason != null) {
            throw new UnsupportedOperationException(reason);
        }
        return RootQdisc.add("Netem", ns, device, this::spec);
    }

    /** {@code tc qdisc add dev DEVICE root netem delay D J loss L duplicate P limit 1000 [seed S]}. */
    private QdiscSpec<?> spec(int index) {
        return QdiscSpec.netem(index)
                .delay(delay, jitter)
                .loss(loss)
                .duplicate(duplicate)
                .limit(1000)
                .seed(seed);
    }
}
