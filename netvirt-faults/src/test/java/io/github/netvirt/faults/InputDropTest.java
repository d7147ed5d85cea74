package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputDropTest {
    @Test
    void scriptDropsEveryFamilyOnInput() throws Exception {
        String s = InputDrop.script("t1", List.of(InetAddress.getByName("10.0.0.1"), InetAddress.getByName("10.0.0.2"),
                InetAddress.getByName("fd00::1")), 1.0);
        assertThat(s).isEqualTo("table inet t1 {\n"
                + "  chain input {\n    type filter hook input priority -10; policy accept;\n"
                + "    ip saddr { 10.0.0.1, 10.0.0.2 } drop\n"
                + "    ip6 saddr { fd00:0:0:0:0:0:0:1 } drop\n"
                + "  }\n}\n");
    }

    @Test
    void partialLossUsesRandomNumbers() throws Exception {
        String s = InputDrop.script("t2", List.of(InetAddress.getByName("10.0.0.1")), 0.25);
        assertThat(s).contains("ip saddr { 10.0.0.1 } numgen random mod 10000 < 2500 drop");
    }
}
