package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The namespaces a test network gives out belong to it: a test that closes one does not break the network. */
@NetvirtTest
class LentNamespaceTest {
    @Network
    TestNetwork net = TwoHosts.of("a", "b", "10.0.0");

    @Test
    void closingAnInjectedOrReturnedNamespaceDoesNothing(@Host("a") NetNamespace a) throws Exception {
        a.close();
        net.namespace("b").close();
        assertThat(a.isOpen()).isTrue();
        assertThat(net.namespace("b").isOpen()).isTrue();
        assertThat(a.exec("ip", "-br", "addr", "show", "dev", "eth0").stdout()).contains("10.0.0.1/24");
        assertThat(net.pingAll(Duration.ofSeconds(2)).allReachable()).isTrue();
    }
}
