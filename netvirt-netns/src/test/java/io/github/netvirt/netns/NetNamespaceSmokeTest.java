package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;

@RequiresRoot
class NetNamespaceSmokeTest {
    @Test
    void namedNamespaceIsVisibleToIpAndHasLoUp() throws Exception {
        String name = TestNames.unique("nvns");
        try (NetNamespace ns = NetNamespace.create(name)) {
            assertThat(Ip.ok("netns", "list")).contains(name);
            assertThat(Ip.ok("-n", name, "-j", "link", "show", "lo")).contains("\"operstate\":\"UNKNOWN\"").contains("UP");
            assertThat(ns.call(NetNamespace::currentThreadId)).isEqualTo(ns.id());
            ns.delete();
        }
        assertThat(Ip.ok("netns", "list")).doesNotContain(name);
    }
}
