package io.github.netvirt.core;

import io.github.netvirt.netlink.Link;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import java.util.ArrayList;
import java.util.List;

/**
 * The devices of a namespace tagged with a topology's device group ({@link DeviceGroups}): whether
 * one is there, and their deletion by group.
 */
final class TaggedDevices {
    private TaggedDevices() {}

    /** Whether a device of {@code ns} carries device group {@code group}. */
    static boolean hasGroup(NetNamespace ns, int group) {
        try (NetlinkHandle h = NetlinkHandle.open(ns)) {
            return h.linkList().stream().anyMatch(l -> l.group() == group);
        }
    }

    /**
     * Deletes the devices of {@code h}'s namespace in device group {@code group}, all in one request
     * (none can take over a listed device's ifindex in between), and returns their names as listed
     * just before. A group left empty meanwhile (a veth whose peer went first) is not an error.
     *
     * @throws IllegalArgumentException if netvirt never draws {@code group} ({@link DeviceGroups#drawn}):
     *         its devices may be anyone's
     */
    static List<String> deleteTagged(NetlinkHandle h, int group) {
        return deleteTagged(h, group, () -> {});
    }

    /** As {@link #deleteTagged(NetlinkHandle, int)}, running {@code afterListing} between the listing and the delete. */
    static List<String> deleteTagged(NetlinkHandle h, int group, Runnable afterListing) {
        DeviceGroups.drawn(group);
        List<String> listed = new ArrayList<>();
        for (Link l : h.linkList()) {
            if (l.group() == group) {
                listed.add(l.name());
            }
        }
        afterListing.run();
        if (listed.isEmpty()) {
            return listed;
        }
        try {
            h.linkDelGroup(group);
        } catch (NetlinkException ex) {
            if (!ex.isNoDevice()) {
                throw ex;
            }
            return List.of();
        }
        return listed;
    }
}
