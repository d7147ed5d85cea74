package io.github.netvirt.netlink;

import io.github.netvirt.netns.Names;
import io.github.netvirt.netns.internal.Require;

/** A link named by ifindex or by name (names are resolved in the handle's namespace). */
final class LinkRef {
    /** Every link of the namespace, for what a request changes: not a link a request can name. */
    static final LinkRef EVERY = new LinkRef(0, null);

    final int index;
    final String name;

    private LinkRef(int index, String name) {
        this.index = index;
        this.name = name;
    }

    static LinkRef of(String name) {
        return new LinkRef(0, Names.checkInterface(name));
    }

    static LinkRef of(int index) {
        return new LinkRef(checkIndex(index), null);
    }

    static int checkIndex(int index) {
        return Require.positive(index, "ifindex");
    }

    @Override
    public String toString() {
        return name != null ? name : index != 0 ? "#" + index : "every link";
    }
}
