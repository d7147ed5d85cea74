package io.github.netvirt.netns.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The state comparison the other modules' tests rely on: equal for equal networks, and sensitive. */
class StateDumpTest {
    @Test
    @RequiresRoot
    void twoRecipeBuildsDumpAlikeAndOneChangeShowsAsOneLine() {
        String a = Recipe.prefix();
        String b = Recipe.prefix();
        try (Recipe ra = Recipe.up(a);
                Recipe rb = Recipe.up(b)) {
            String dumpA = StateDump.of(a);
            assertThat(dumpA)
                    .startsWith("netns bridge\n")
                    .contains("netns bridge link br kind=bridge admin=up oper=UP carrier=1")
                    .contains("netns bridge link bridge-net0 kind=veth slave_kind=bridge master=br admin=up")
                    .contains("peer=net0:net0-bridge")
                    .contains("netns net0 addr dev=net0-bridge family=inet local=10.0.1.1/24")
                    .contains("netns net1 route family=inet table=main type=unicast dst=10.0.1.0/24 dev=net1-bridge")
                    .contains("local=fe80::LL/64")
                    .doesNotContain(a)
                    .doesNotContain("tentative");
            assertThat(StateDump.of(b)).isEqualTo(dumpA);

            Ip.ok("-n", b + "net1", "link", "set", "dev", "net1-bridge", "mtu", "1400");
            List<String> before = dumpA.lines().toList();
            List<String> after = StateDump.of(b).lines().toList();
            assertThat(after).hasSameSizeAs(before);
            List<String> changed =
                    after.stream().filter(l -> !before.contains(l)).toList();
            assertThat(changed)
                    .singleElement()
                    .asString()
                    .startsWith("netns net1 link net1-bridge ")
                    .contains("mtu=1400");

            String v4 = StateDump.of(a, StateDump.Option.NO_IPV6, StateDump.Option.NO_LOOPBACK);
            assertThat(v4).contains("local=10.0.1.2/24").doesNotContain("inet6").doesNotContain(" link lo ");
        }
        assertThat(StateDump.of(a)).isEmpty();
        assertThat(StateDump.of(b)).isEmpty();
    }

    @Test
    void jsonReadsWhatIpPrints() {
        List<Object> docs = Json.parseAll("[{\"ifname\":\"br\",\"mtu\":1500,\"hello_timer\":0.00,\"up\":true,"
                + "\"flags\":[\"UP\"],\"alias\":null,\"s\":\"a\\\"b\\u00e9\"}]\n[]\n");
        assertThat(docs).hasSize(2);
        @SuppressWarnings("unchecked")
        Map<String, Object> l = ((List<Map<String, Object>>) docs.get(0)).get(0);
        assertThat(l)
                .containsEntry("ifname", "br")
                .containsEntry("mtu", 1500L)
                .containsEntry("up", true)
                .containsEntry("flags", List.of("UP"))
                .containsEntry("alias", null)
                .containsEntry("s", "a\"bé");
        assertThat(l.get("hello_timer")).isEqualTo(new BigDecimal("0.00")).hasToString("0.00");
        assertThat(Json.array("[{\"ifindex\":18446744073709551615}]").get(0).get("ifindex"))
                .isEqualTo(new BigDecimal("18446744073709551615"));
        assertThatThrownBy(() -> Json.parse("[1,]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parse("[1] [2]")).hasMessageContaining("one JSON value");
    }
}
