package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.NoSuchElementException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * In an adopted namespace the device group is what proves a device the topology's ({@link
 * Resources#ownLink}): someone moved the topology's device to another group (ip link set DEV group
 * 0), so it is refused, and what is said is what was found, its group changed, not that it is gone.
 */
@RequiresRoot
class RegroupedDeviceMessageTest {

    @Test
    void aDeviceWhoseGroupSomeoneChangedIsRefusedNamingTheGroups() {
        String p = TestNames.unique("jH") + "-";
        String foreign = p + "foreign";
        Ip.ok("netns", "add", foreign);
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);
                Topology t = Topology.create()
                        .prefix(p)
                        .adopt("c", foreign)
                        .veth("c0", "srv", "srv0")
                        .ns("srv")
                        .apply()) {
            Matcher m = Pattern.compile("\"group\":\"(\\d+)\"")
                    .matcher(Ip.ok("-n", foreign, "-j", "link", "show", "dev", "c0"));
            assertThat(m.find()).as("the topology's group on c0").isTrue();
            String group = m.group(1);
            Ip.ok("-n", foreign, "link", "set", "dev", "c0", "group", "0");
            assertThatThrownBy(() -> t.down("c", "c0"))
                    .isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("c0")
                    .hasMessageNotContaining("is gone")
                    .hasMessageContaining("device group from " + group + " to 0");
            assertThat(Ip.ok("-n", foreign, "-o", "link", "show", "dev", "c0")).contains(",UP");
        }
    }
}
