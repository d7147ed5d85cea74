package io.github.netvirt.faults;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.Uninterrupted;
import java.util.List;
import java.util.Objects;

/**
 * Loss in one direction only: packets from {@code from} to {@code to} are dropped (all of them, or
 * a fraction, or only on the flows of one {@link Port}), while {@code to} still reaches {@code from}.
 * The drop is an nftables rule on input in {@code to}'s namespace (spoken over netlink), matching
 * {@code from}'s global addresses; a partial loss uses nftables' own random numbers and is therefore
 * <em>not</em> replayable. For seeded, replayable loss use
 * {@link io.github.netvirt.faults.impair.ImpairedLink}. Thread-safe.
 */
public final class OneWayLoss implements Fault {
    private final FilterTable drop;
    private boolean active = true;

    private OneWayLoss(FilterTable drop) {
        this.drop = drop;
    }

    /**
     * Drops every packet from {@code from} to {@code to}.
     *
     * @throws IllegalArgumentException as {@link #drop(NetNamespace, NetNamespace, Port, double)}
     */
    public static OneWayLoss drop(NetNamespace from, NetNamespace to) {
        return drop(from, to, 1.0);
    }

    /**
     * Drops a {@code fraction} (in (0, 1]) of the packets from {@code from} to {@code to}.
     *
     * @throws IllegalArgumentException as {@link #drop(NetNamespace, NetNamespace, Port, double)}
     */
    public static OneWayLoss drop(NetNamespace from, NetNamespace to, double fraction) {
        return install(from, to, null, fraction);
    }

    /**
     * Drops a {@code fraction} (in (0, 1]) of the packets from {@code from} to {@code to} that belong to
     * flows of {@code port} (to it or from it): e.g. a client's requests to port 8080 lost while its
     * other traffic, and everything from {@code to}, goes through.
     *
     * @throws NullPointerException if {@code from}, {@code to} or {@code port} is null, naming it (for
     *     every port, leave {@code port} out); nothing is installed
     * @throws IllegalArgumentException on a fraction outside (0, 1], the same namespace twice (by its
     *     cookie, whatever the handles: a {@link NetNamespace#reopen()}, an open of its name), or no
     *     global address; nothing is installed
     */
    public static OneWayLoss drop(NetNamespace from, NetNamespace to, Port port, double fraction) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(port, "port");
        return install(from, to, port, fraction);
    }

    /** {@code port} null: every flow. */
    private static OneWayLoss install(NetNamespace from, NetNamespace to, Port port, double fraction) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
        }
        if (from.cookie() == to.cookie()) {
            throw new IllegalArgumentException("from and to are the same namespace: " + from + ", " + to);
        }
        FilterTable drop = InputDrop.install(to, Partition.addresses(List.of(from)), port, fraction);
        return Lease.healOnClose(new OneWayLoss(drop), drop.lease());
    }

    @Override
    public synchronized void heal() {
        if (active) {
            Uninterrupted.run(drop::remove); // throws: still active, the next heal tries again
            active = false;
        }
    }

    @Override
    public synchronized boolean isActive() {
        return active;
    }
}
