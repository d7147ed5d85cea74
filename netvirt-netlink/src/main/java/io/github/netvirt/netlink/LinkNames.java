package io.github.netvirt.netlink;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The name to ifindex lookups of one batch run: filled by lookups, and emptied of every entry a
 * request of the batch makes stale (a rename, a delete, a move to another namespace, a new link)
 * as soon as that request is encoded, so a later request naming such a link is looked up again
 * after it. Not thread-safe.
 */
final class LinkNames implements Resolver {
    private final Map<String, Integer> byName = new HashMap<>();

    boolean has(String name) {
        return byName.containsKey(name);
    }

    void put(String name, int index) {
        byName.put(name, index);
    }

    @Override
    public int index(String name) {
        Integer index = byName.get(name);
        if (index == null) {
            throw new IllegalStateException("link " + name + " was not looked up");
        }
        return index;
    }

    /**
     * Forgets the links {@code changed} names: by name that name, by index every name of that index,
     * {@link LinkRef#EVERY} all.
     */
    void forget(List<LinkRef> changed) {
        for (LinkRef ref : changed) {
            if (ref == LinkRef.EVERY) {
                byName.clear();
            } else if (ref.name != null) {
                byName.remove(ref.name);
            } else {
                for (Iterator<Integer> it = byName.values().iterator(); it.hasNext(); ) {
                    if (it.next() == ref.index) {
                        it.remove();
                    }
                }
            }
        }
    }
}
