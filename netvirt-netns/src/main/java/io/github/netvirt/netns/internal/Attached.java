package io.github.netvirt.netns.internal;

import io.github.netvirt.netns.NetNamespace;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The {@link Journal}s attached to handles, by identity (a handle's equals is identity), each until
 * its handle closes ({@link Journal#attach}).
 */
final class Attached {
    static final Map<NetNamespace, Journal> BY_HANDLE = Collections.synchronizedMap(new WeakHashMap<>());

    private Attached() {}
}
