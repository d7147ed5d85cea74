package io.github.netvirt.core;

import io.github.netvirt.netlink.Link;
import io.github.netvirt.netlink.NetlinkHandle;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The device groups that tag the devices a topology makes where others make devices too (the root
 * namespace, adopted ones) and those a change makes in a namespace that was there. Close, rollback
 * and cleanup delete the devices of a namespace by group, so a group is chosen unused: no device of
 * the namespaces concerned carries it, and for a topology's own group no crash record names it (a
 * cleanup of that record would delete every device there carrying it, its owner may have drawn it
 * and not made its first device yet).
 */
final class DeviceGroups {
    /** The lowest group drawn: positive (iproute2 prints groups as signed ints) and far above the small numbers admins use. */
    static final int LOWEST = 0x4000_0000;

    /** Where the draws come from (a test's seam). */
    static volatile Supplier<RandomGenerator> random = ThreadLocalRandom::current;

    private DeviceGroups() {}

    /**
     * {@code group} if it is one netvirt draws ({@link #unused}): the only groups it tags devices with,
     * so the only ones whose devices a rollback, teardown or cleanup deletes (a crash record naming
     * another is refused).
     *
     * @throws IllegalArgumentException for any other: group 0, the default, and the small numbers
     *         admins use are everyone's
     */
    static int drawn(int group) {
        if (group < LOWEST || group == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("group " + Integer.toUnsignedString(group)
                    + " is not one netvirt draws (" + LOWEST + " to " + (Integer.MAX_VALUE - 1)
                    + "): its devices may be anyone's");
        }
        return group;
    }

    /** A group drawn from {@link #random}, drawn again while it is in {@code inUse}. */
    static int unused(Set<Integer> inUse) {
        return unused(random.get(), inUse);
    }

    /** A group drawn from {@code random} in [{@link #LOWEST}, {@code Integer.MAX_VALUE}), drawn again while it is in {@code inUse}. */
    static int unused(RandomGenerator random, Set<Integer> inUse) {
        int group;
        do {
            group = random.nextInt(LOWEST, Integer.MAX_VALUE);
        } while (inUse.contains(group));
        return group;
    }

    /** Adds the group of each device of {@code h}'s namespace to {@code groups}. */
    static void carried(NetlinkHandle h, Set<Integer> groups) {
        for (Link l : h.linkList()) {
            groups.add(l.group());
        }
    }

    /**
     * The device groups the records in {@code dir} name (live owners' or dead ones', any namespace).
     * Records are read as {@link NameHolder} reads them, without the cleaners' lock: a record that
     * does not parse names nothing.
     */
    static Set<Integer> recorded(RunDir dir) {
        Set<Integer> groups = new HashSet<>();
        for (RunDir.RecordFile f : dir.records(new ArrayList<>())) {
            RecordEntry e;
            try {
                e = RecordParser.parse(f.path(), f.lines());
            } catch (IllegalArgumentException refused) {
                continue;
            }
            if (e.root() != null) {
                groups.add(e.root().group());
            }
            for (RecordEntry.Adopted a : e.adopted()) {
                groups.add(a.group());
            }
        }
        return groups;
    }
}
