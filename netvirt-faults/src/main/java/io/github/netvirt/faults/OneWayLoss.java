package io.github.netvirt.faults;

import io.github.netvirt.netns.NetNamespace;
import java.util.List;

/**
 * Loss in one direction only: packets from {@code from} to {@code to} are dropped (all of them, or
 * a fraction), while {@code to} still reaches {@code from}. The drop is an nftables rule on input
 * in {@code to}'s namespace, matching {@code from}'s global addresses; a partial loss uses
 * nftables' own random numbers and is therefore <em>not</em> replayable. For seeded, replayable
 * loss use {@link io.github.netvirt.faults.impair.ImpairedLink}.
 */
public final class OneWayLoss implements Fault {
    private final InputDrop drop;
    private boolean active = true;

    private OneWayLoss(InputDrop drop) {
        this.drop = drop;
    }

    /** Drops every packet from {@code from} to {@code to}. */
    public static OneWayLoss drop(NetNamespace from, NetNamespace to) {
        return drop(from, to, 1.0);
    }

    /** Drops a {@code fraction} (in (0, 1]) of the packets from {@code from} to {@code to}. */
    public static OneWayLoss drop(NetNamespace from, NetNamespace to, double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
        }
        if (from == to) {
            throw new IllegalArgumentException("from and to are the same namespace");
        }
        return new OneWayLoss(InputDrop.install(to, Partition.addresses(List.of(from)), fraction));
    }

    @Override
    public synchronized void heal() {
        if (active) {
            active = false;
            drop.remove();
        }
    }

    @Override
    public synchronized boolean isActive() {
        return active;
    }
}
