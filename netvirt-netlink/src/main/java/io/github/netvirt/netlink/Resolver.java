package io.github.netvirt.netlink;

/** Maps link names to ifindexes while requests are encoded (a lookup may cost a round trip). */
interface Resolver {
    int index(String name);

    default int index(LinkRef ref) {
        return ref.name == null ? ref.index : index(ref.name);
    }
}
