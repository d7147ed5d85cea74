package io.github.netvirt.faults.impair;

import com.sun.jna.LastErrorException;
import io.github.netvirt.netns.sys.LibC;
import io.github.netvirt.netns.sys.Sys;
import java.util.List;
import java.util.Objects;

/**
 * Two namespaces joined by a link that delays, jitters, loses, duplicates and reorders frames in
 * userspace: each namespace gets a TAP device, and a relay in this JVM copies frames between the
 * two through a seeded {@link Impairer} per direction. Where the kernel lacks {@code netem} (see
 * {@link io.github.netvirt.faults.Netem#isAvailable()}) this is the way to impair a path, and
 * unlike netem its decisions are replayable: the n-th IP frame of a direction gets the same
 * verdict for the same seed, whatever the timing, so a failing test can be re-run exactly (the one
 * exception: a frame held back for reordering is let go after 500 ms if no other frame follows).
 *
 * <p>Only IPv4 and IPv6 frames are impaired; ARP and other frames pass untouched (a lost ARP
 * would only add the kernel's retry timers to the test). IPv6 is disabled on both TAP devices so
 * the kernel's own neighbour discovery does not consume decisions. Closing the link stops the
 * relay and removes both devices.
 */
public final class ImpairedLink implements AutoCloseable {
    /** The two directions of the link. */
    public enum Direction {
        A_TO_B, B_TO_A
    }

    private final long seed;
    private final TapPort a;
    private final TapPort b;
    private final int wakeFd;
    private final Relay aToB;
    private final Relay bToA;
    private boolean closed;

    private ImpairedLink(long seed, TapPort a, TapPort b, int wakeFd, Relay aToB, Relay bToA) {
        this.seed = seed;
        this.a = a;
        this.b = b;
        this.wakeFd = wakeFd;
        this.aToB = aToB;
        this.bToA = bToA;
    }

    /** A link impaired the same way in both directions (each direction with its own seeded stream). */
    public static ImpairedLink open(Endpoint a, Endpoint b, Impairment impairment, long seed) {
        return open(a, b, impairment, impairment, seed);
    }

    /** A link with its own impairment per direction. */
    public static ImpairedLink open(Endpoint a, Endpoint b, Impairment aToB, Impairment bToA, long seed) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(aToB, "aToB");
        Objects.requireNonNull(bToA, "bToA");
        if (a.namespace() == b.namespace() && a.device().equals(b.device())) {
            throw new IllegalArgumentException("both ends are " + a.device() + " in the same namespace");
        }
        TapPort tapA = null;
        TapPort tapB = null;
        int wake = -1;
        try {
            tapA = TapPort.open(a);
            tapB = TapPort.open(b);
            wake = Sys.eventfd(0);
            SplitMix64 seeds = new SplitMix64(seed);
            Relay ab = new Relay(tapA.name + ">" + tapB.name, tapA.fd, tapB.fd, wake, new Impairer(seeds.nextLong(), aToB));
            Relay ba = new Relay(tapB.name + ">" + tapA.name, tapB.fd, tapA.fd, wake, new Impairer(seeds.nextLong(), bToA));
            ab.start();
            ba.start();
            return new ImpairedLink(seed, tapA, tapB, wake, ab, ba);
        } catch (RuntimeException e) {
            if (tapA != null) {
                tapA.close();
            }
            if (tapB != null) {
                tapB.close();
            }
            Sys.closeQuietly(wake);
            throw e;
        }
    }

    public long seed() {
        return seed;
    }

    /** The TAP device's name on side A (the kernel's, if a template was given). */
    public String deviceA() {
        return a.name;
    }

    public String deviceB() {
        return b.name;
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

    /** Stops the relay (frames still queued are discarded) and removes both TAP devices. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            LibC.write(wakeFd, new byte[] {1, 0, 0, 0, 0, 0, 0, 0}, 8);
        } catch (LastErrorException ignored) {
            // cannot happen for a fresh eventfd; the readers would then stop at their next frame
        }
        boolean interrupted = false;
        for (Relay r : List.of(aToB, bToA)) {
            while (true) {
                try {
                    r.stop();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        // only now that no thread uses the fds may they be closed (the numbers could be reused)
        a.close();
        b.close();
        Sys.closeQuietly(wakeFd);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "ImpairedLink[" + a.name + " <-> " + b.name + ", seed " + seed + "]";
    }
}
