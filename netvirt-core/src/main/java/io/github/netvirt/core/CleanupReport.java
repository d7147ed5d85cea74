package io.github.netvirt.core;

import java.util.List;

/**
 * What {@link Topology#cleanup()} did: the objects of dead owners it removed, and what it left alone,
 * one line each with the reason: an object it could not prove was theirs (a name now held by another
 * namespace), a record it does not trust ({@code record FILE refused: ...}; the whole record directory,
 * {@code crash record directory DIR refused: ...}), one that could not be removed in full, one whose
 * file could not be deleted once all it names was dealt with (an immutable file, a mount point), and
 * the record of a topology whose owner is still running (it holds the record's lock) or that was
 * detached (while anything of it is left: a namespace, a device, or a process it started detached
 * that still runs; {@code ...: detached, left running (netns NAME, ...): its record is locked by
 * another process (pid PID (COMMAND)) ...} when another process holds that record's lock). The
 * record of a detached topology of which nothing is left (removed by hand) is deleted, and listed in
 * {@code removed}; so is a record of an earlier boot (what it named went with that boot).
 *
 * @param removed what was removed, e.g. {@code netns t1-h1}, {@code record of the detached topology
 *     ...: nothing of it was left}, or {@code record of the topology ... of an earlier boot (BOOTID):
 *     what it named went with that boot}
 * @param leftAlone what was left in place, with the reason
 */
public record CleanupReport(List<String> removed, List<String> leftAlone) {
    public CleanupReport {
        removed = List.copyOf(removed);
        leftAlone = List.copyOf(leftAlone);
    }

    /** Nothing removed, nothing left alone. */
    public boolean isEmpty() {
        return removed.isEmpty() && leftAlone.isEmpty();
    }
}
