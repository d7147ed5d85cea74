package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.LinkSpec;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;

/** What teardown and cleanup delete of a namespace's devices by their group, and what they report. */
@RequiresRoot
class TaggedDeleteTest {
    private final String p = TestNames.unique("gU") + "-";

    @Test
    void aDeviceMadeAtAListedIndexAfterTheListingIsNotDeleted() {
        int group = DeviceGroups.LOWEST + 0x0abc;
        try (NetNamespace ns = NetNamespace.ephemeral();
                NetlinkHandle h = NetlinkHandle.open(ns)) {
            h.linkAdd(LinkSpec.bridge(p + "o").group(group));
            int index = h.link(p + "o").index();
            TaggedDevices.deleteTagged(h, group, () -> {
                h.linkDel(p + "o");
                h.linkAdd(LinkSpec.bridge(p + "t").index(index));
            });
            assertThat(h.linkGet(p + "t"))
                    .as("someone else's device at the listed index")
                    .isPresent();
        }
    }

    @Test
    void everyDeviceOfTheGroupGoesAndIsReportedAndNoOther() {
        int group = DeviceGroups.LOWEST + 0x0abd;
        try (NetNamespace ns = NetNamespace.ephemeral();
                NetNamespace other = NetNamespace.ephemeral();
                NetlinkHandle h = NetlinkHandle.open(ns);
                NetlinkHandle ho = NetlinkHandle.open(other)) {
            h.linkAdd(LinkSpec.veth(p + "a", p + "b").group(group).peerGroup(group));
            h.linkAdd(LinkSpec.veth(p + "c", p + "d").group(group).peerNetns(other));
            h.linkAdd(LinkSpec.bridge(p + "br").group(group));
            h.linkAdd(LinkSpec.bridge(p + "k").group(group + 1));

            assertThat(TaggedDevices.deleteTagged(h, group))
                    .containsExactlyInAnyOrder(p + "a", p + "b", p + "c", p + "br");

            assertThat(h.linkList()).noneMatch(l -> l.group() == group);
            assertThat(h.linkGet(p + "k")).isPresent();
            assertThat(ho.linkGet(p + "d")).as("the peer of a deleted veth").isEmpty();
            assertThat(TaggedDevices.deleteTagged(h, group))
                    .as("an empty group")
                    .isEmpty();
        }
    }
}
