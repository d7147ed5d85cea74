package io.github.netvirt.faults;

import io.github.netvirt.netns.Names;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.Require;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * A timeline of faults drawn from a seed: link cuts, partitions and one-way losses over named
 * hosts and links, and faults of the caller's ({@link Builder#fault}), each healed at its end. Planning is pure: one seed and the same options give
 * the same timeline on every machine and JDK ({@link Random}'s algorithm is fixed by its
 * specification), so a failing run is replayed by its seed. {@link #start} runs it against live
 * namespaces.
 *
 * <pre>{@code
 * FaultSchedule s = FaultSchedule.over(List.of("web", "db", "cache"), List.of("web/eth0", "db/eth0"))
 *         .length(Duration.ofSeconds(10)).faults(6).plan(seed);
 * System.out.println(s);                     // the timeline
 * try (ScheduleRun run = s.start(hosts)) {   // hosts: logical name -> NetNamespace
 *     ... exercise the system ...
 *     run.awaitEnd(Duration.ofSeconds(15));
 * }                                          // whatever is still in force is healed
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class FaultSchedule {
    private final long seed;
    private final Duration length;
    private final List<ScheduledFault> faults;
    private final Map<String, Function<Map<String, NetNamespace>, Fault>> custom;

    private FaultSchedule(
            long seed,
            Duration length,
            List<ScheduledFault> faults,
            Map<String, Function<Map<String, NetNamespace>, Fault>> custom) {
        this.seed = seed;
        this.length = length;
        this.faults = List.copyOf(faults);
        this.custom = custom;
    }

    /**
     * Starts describing a schedule over {@code hosts} (what partitions and one-way losses split and
     * drop between: each needs a global address when the fault starts) and {@code links}, written
     * {@code host/device} (what cuts set down; the host need not be among {@code hosts}).
     *
     * @throws NullPointerException if {@code hosts} or {@code links} is null or holds a null
     * @throws IllegalArgumentException on an empty or duplicate host or link, or a link not written
     *     host/device or whose device is not an interface name ({@link Names#checkInterface})
     */
    public static Builder over(Collection<String> hosts, Collection<String> links) {
        return new Builder(hosts, links);
    }

    /**
     * How a schedule is drawn. Setters check their argument at once: a null one is a
     * {@link NullPointerException} naming it. Not thread-safe.
     */
    public static final class Builder {
        /** The longest length a long of milliseconds holds, which the draw counts in. */
        private static final Duration LONGEST = Duration.ofMillis(Long.MAX_VALUE);

        private final List<String> hosts;
        private final List<String> links;
        private Duration length = Duration.ofSeconds(10);
        private int count = 5;
        private Duration minFault;
        private Duration maxFault;
        private Set<ScheduledFault.Kind> kinds = EnumSet.complementOf(EnumSet.of(ScheduledFault.Kind.CUSTOM));
        private final Map<String, Function<Map<String, NetNamespace>, Fault>> custom = new LinkedHashMap<>();

        private Builder(Collection<String> hosts, Collection<String> links) {
            this.hosts = distinct(hosts, "host");
            this.links = distinct(links, "link");
            for (String l : this.links) {
                int slash = l.indexOf('/');
                if (slash <= 0 || slash == l.length() - 1 || l.indexOf('/', slash + 1) >= 0) {
                    throw new IllegalArgumentException("a link is written host/device, e.g. web/eth0: " + l);
                }
                String problem = Names.interfaceProblem(l.substring(slash + 1));
                if (problem != null) {
                    throw new IllegalArgumentException("the device of the link \"" + Names.printable(l)
                            + "\" is not an interface name: " + problem);
                }
            }
        }

        private static List<String> distinct(Collection<String> names, String what) {
            Set<String> seen = new LinkedHashSet<>();
            for (String n : NonNull.elements(names, what + "s")) {
                if (n.isEmpty()) {
                    throw new IllegalArgumentException("empty " + what + " name");
                }
                if (!seen.add(n)) {
                    throw new IllegalArgumentException("duplicate " + what + " " + n);
                }
            }
            return List.copyOf(seen);
        }

        /** The timeline's length (default 10 s); every fault is healed by then. */
        public Builder length(Duration length) {
            if (Objects.requireNonNull(length, "length").compareTo(Duration.ofMillis(10)) < 0) {
                throw new IllegalArgumentException("a schedule lasts at least 10 ms, got " + length);
            }
            if (length.compareTo(LONGEST) > 0) {
                throw new IllegalArgumentException(
                        "a schedule lasts at most " + LONGEST + " (a long of milliseconds), got " + length);
            }
            this.length = length;
            return this;
        }

        /** How many faults to draw (default 5); fewer when cuts of one link would overlap. */
        public Builder faults(int count) {
            this.count = Require.inRange(count, 1, 10_000, "faults");
            return this;
        }

        /** How long each fault lasts, drawn in [min, max] (default: a tenth to a third of the length). */
        public Builder faultLength(Duration min, Duration max) {
            Objects.requireNonNull(min, "min");
            Objects.requireNonNull(max, "max");
            if (min.compareTo(Duration.ofMillis(1)) < 0 || max.compareTo(min) < 0 || max.compareTo(LONGEST) > 0) {
                throw new IllegalArgumentException(
                        "fault length needs 1 ms <= min <= max <= " + LONGEST + ", got " + min + ", " + max);
            }
            this.minFault = min;
            this.maxFault = max;
            return this;
        }

        /**
         * The built-in kinds to draw from (default: cuts, partitions and one-way losses); faults
         * added with {@link #fault} are drawn as well.
         */
        public Builder kinds(ScheduledFault.Kind... kinds) {
            NonNull.elements(Arrays.asList(Objects.requireNonNull(kinds, "kinds")), "kinds");
            if (kinds.length == 0) {
                throw new IllegalArgumentException("name at least one kind of fault");
            }
            if (List.of(kinds).contains(ScheduledFault.Kind.CUSTOM)) {
                throw new IllegalArgumentException("custom faults are added with fault(name, start)");
            }
            this.kinds = EnumSet.copyOf(List.of(kinds));
            return this;
        }

        /**
         * Adds a fault of the caller's to draw from, one more kind beside the built-in ones: at its
         * start {@code start} is given the run's hosts (logical name -> namespace) and returns the
         * fault in force, healed at its end. The name stands for it in the timeline, e.g.
         * {@code fault("refuse db:5432", h -> ConnectionFault.refuse(h.get("db"), 5432))}.
         *
         * @throws IllegalArgumentException on an empty or duplicate name
         */
        public Builder fault(String name, Function<Map<String, NetNamespace>, Fault> start) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(start, "start");
            if (name.isBlank() || custom.containsKey(name)) {
                throw new IllegalArgumentException("a custom fault needs a name of its own, got " + name);
            }
            custom.put(name, start);
            return this;
        }

        /**
         * Draws the timeline from {@code seed}.
         *
         * @throws IllegalArgumentException when none of the kinds fits the hosts and links (a cut
         *     needs a link, a partition or one-way loss two hosts), or the fault length exceeds the
         *     schedule's
         */
        public FaultSchedule plan(long seed) {
            List<ScheduledFault.Kind> usable = new ArrayList<>();
            for (ScheduledFault.Kind k : kinds) { // EnumSet: declaration order, independent of the caller's
                if (k == ScheduledFault.Kind.CUT ? !links.isEmpty() : hosts.size() >= 2) {
                    usable.add(k);
                }
            }
            List<String> customNames = List.copyOf(custom.keySet());
            for (int i = 0; i < customNames.size(); i++) {
                usable.add(ScheduledFault.Kind.CUSTOM);
            }
            if (usable.isEmpty()) {
                throw new IllegalArgumentException("no fault of " + kinds + " fits " + hosts.size() + " host(s) and "
                        + links.size() + " link(s): a cut needs a link, a partition or a one-way loss two hosts");
            }
            long total = length.toMillis();
            long min = minFault != null ? minFault.toMillis() : Math.max(1, total / 10);
            long max = maxFault != null ? maxFault.toMillis() : Math.max(min, total / 3);
            if (max > total) {
                throw new IllegalArgumentException("faults of up to " + max + " ms do not fit in " + total + " ms");
            }
            Random rnd = new Random(seed);
            List<ScheduledFault> out = new ArrayList<>();
            int builtIn = usable.size() - customNames.size();
            for (int i = 0; i < count; i++) {
                int pick = rnd.nextInt(usable.size());
                ScheduledFault.Kind kind = usable.get(pick);
                long len = min + (long) (rnd.nextDouble() * (max - min + 1));
                long start = (long) (rnd.nextDouble() * (total - len + 1));
                Duration s = Duration.ofMillis(start);
                Duration e = Duration.ofMillis(start + len);
                ScheduledFault f = switch (kind) {
                    case CUT -> {
                        String link = links.get(rnd.nextInt(links.size()));
                        int slash = link.indexOf('/');
                        yield new ScheduledFault(
                                kind, s, e, List.of(link.substring(0, slash)), List.of(), link.substring(slash + 1));
                    }
                    case PARTITION -> {
                        List<String> shuffled = new ArrayList<>(hosts);
                        for (int j = shuffled.size() - 1; j > 0; j--) {
                            Collections.swap(shuffled, j, rnd.nextInt(j + 1));
                        }
                        int cut = 1 + rnd.nextInt(shuffled.size() - 1);
                        yield new ScheduledFault(
                                kind,
                                s,
                                e,
                                inHostOrder(shuffled.subList(0, cut)),
                                inHostOrder(shuffled.subList(cut, shuffled.size())),
                                null);
                    }
                    case CUSTOM ->
                        new ScheduledFault(kind, s, e, List.of(), List.of(), customNames.get(pick - builtIn));
                    default -> {
                        int a = rnd.nextInt(hosts.size());
                        int b = (a + 1 + rnd.nextInt(hosts.size() - 1)) % hosts.size();
                        yield new ScheduledFault(kind, s, e, List.of(hosts.get(a)), List.of(hosts.get(b)), null);
                    }
                };
                if (!overlapsItself(out, f)) {
                    out.add(f);
                }
            }
            out.sort(Comparator.comparing(ScheduledFault::start).thenComparing(ScheduledFault::end));
            return new FaultSchedule(seed, length, out, Map.copyOf(custom));
        }

        private List<String> inHostOrder(List<String> side) {
            return hosts.stream().filter(side::contains).toList();
        }

        /**
         * Two cuts of one link at once would heal each other's, and a custom fault may not stack
         * with itself: the later draw is dropped.
         */
        private static boolean overlapsItself(List<ScheduledFault> planned, ScheduledFault f) {
            if (f.kind() != ScheduledFault.Kind.CUT && f.kind() != ScheduledFault.Kind.CUSTOM) {
                return false;
            }
            for (ScheduledFault p : planned) {
                if (p.kind() == f.kind()
                        && p.from().equals(f.from())
                        && p.device().equals(f.device())
                        && p.start().compareTo(f.end()) < 0
                        && f.start().compareTo(p.end()) < 0) {
                    return true;
                }
            }
            return false;
        }
    }

    public long seed() {
        return seed;
    }

    public Duration length() {
        return length;
    }

    /** What starts the custom fault {@code name}. */
    Function<Map<String, NetNamespace>, Fault> custom(String name) {
        return custom.get(name);
    }

    /** The faults, by start time. */
    public List<ScheduledFault> faults() {
        return faults;
    }

    /**
     * Runs the timeline from now against {@code hosts} (logical name -> namespace) on a thread of
     * its own: each fault starts and heals at its offsets (give or take the time the kernel takes).
     *
     * @throws NullPointerException before anything starts, if {@code hosts} is null or maps a name to null
     * @throws IllegalArgumentException before anything starts, when a host of the schedule is missing,
     *     or two hosts are one namespace (a partition between them would cut nothing)
     * @throws IllegalStateException before anything starts, when a host's namespace handle is closed
     */
    public ScheduleRun start(Map<String, NetNamespace> hosts) {
        NonNull.entries(hosts, "hosts");
        for (ScheduledFault f : faults) {
            for (String h : f.hosts()) {
                if (!hosts.containsKey(h)) {
                    throw new IllegalArgumentException("the schedule's host " + h + " is not among " + hosts.keySet());
                }
            }
        }
        Map<Long, String> byInode = new HashMap<>();
        for (Map.Entry<String, NetNamespace> h : hosts.entrySet()) {
            if (!h.getValue().isOpen()) {
                throw new IllegalStateException("the host " + h.getKey() + " is " + h.getValue() + ", which is closed");
            }
            // all open: equal inodes are one namespace
            String other = byInode.putIfAbsent(h.getValue().inode(), h.getKey());
            if (other != null) {
                throw new IllegalArgumentException("the hosts " + other + " and " + h.getKey() + " are one namespace, "
                        + h.getValue().id() + ": give each host a namespace of its own");
            }
        }
        return ScheduleRun.start(this, Map.copyOf(hosts));
    }

    /** The timeline: a header with the seed, then one line per fault. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("fault schedule, seed ")
                .append(seed)
                .append(", ")
                .append(ScheduledFault.seconds(length))
                .append(" s, ")
                .append(faults.size())
                .append(faults.size() == 1 ? " fault" : " faults")
                .append(faults.isEmpty() ? "" : ":");
        for (ScheduledFault f : faults) {
            s.append("\n  ").append(f);
        }
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FaultSchedule f && f.seed == seed && f.length.equals(length) && f.faults.equals(faults);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seed, length, faults);
    }
}
