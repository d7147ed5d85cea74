package io.github.netvirt.core;

import java.util.List;

/**
 * What {@link Topology#cleanup()} did: the objects of dead owners it removed, and what it left alone
 * because it could not prove the object was theirs (a name now held by another namespace, a record
 * it does not trust), one line each.
 *
 * @param removed what was removed, e.g. {@code netns t1-h1}
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
