package io.github.netvirt.faults;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One fault of a {@link FaultSchedule}: what, on which hosts or link, from {@code start} to
 * {@code end} (offsets from the start of the run). Hosts are the schedule's logical names.
 *
 * @param from a cut's host, a partition's first side, a one-way loss's sender
 * @param to a partition's second side, a one-way loss's receiver; empty for a cut
 * @param device the device a cut sets down; the name of a {@link Kind#CUSTOM} fault; null otherwise
 */
public record ScheduledFault(
        Kind kind, Duration start, Duration end, List<String> from, List<String> to, String device) {
    /** The kinds of fault a schedule draws from. */
    public enum Kind {
        /** A link cut: the device is set down ({@link LinkCut}). */
        CUT,
        /** The hosts split in two sides that do not hear each other ({@link Partition}). */
        PARTITION,
        /** Every packet from one host to another dropped, not the other way ({@link OneWayLoss}). */
        ONE_WAY_LOSS,
        /**
         * A fault of the caller's, named and started by a function given to
         * {@link FaultSchedule.Builder#fault} (a connection fault, a link condition, ...).
         */
        CUSTOM
    }

    public ScheduledFault {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        from = List.copyOf(NonNull.elements(from, "from"));
        to = List.copyOf(NonNull.elements(to, "to"));
        if (end.compareTo(start) <= 0) {
            throw new IllegalArgumentException("a fault must end after it starts: " + start + " .. " + end);
        }
    }

    /** Every host the fault touches. */
    public List<String> hosts() {
        return to.isEmpty() ? from : Stream.concat(from.stream(), to.stream()).toList();
    }

    /** What the fault does, e.g. {@code cut web/eth0}, {@code partition [a, b] | [c]}, {@code one-way loss a -> b}. */
    public String what() {
        return switch (kind) {
            case CUT -> "cut " + from.get(0) + "/" + device;
            case PARTITION -> "partition " + from + " | " + to;
            case CUSTOM -> device;
            default -> "one-way loss " + from.get(0) + " -> " + to.get(0);
        };
    }

    /** One line of a timeline: {@code +0.120 s .. +0.620 s  cut web/eth0}. */
    @Override
    public String toString() {
        return "+" + seconds(start) + " s .. +" + seconds(end) + " s  " + what();
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return String.format(Locale.ROOT, "%d.%03d", ms / 1000, ms % 1000);
    }
}
