package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@RequiresRoot
class NetemTest {

    @Test
    void detectionAgreesWithTc() {
        String name = TestNames.unique("fj");
        boolean tcCan;
        try (NetNamespace ns = NetNamespace.create(name)) {
            Ip.Result r =
                    Ip.exec(List.of("tc", "-n", name, "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms"));
            tcCan = r.exitCode() == 0;
        } finally {
            NetNamespace.delete(name);
        }
        assertThat(Netem.isAvailable()).isEqualTo(tcCan);
        if (!tcCan) {
            assertThat(Netem.unavailableReason())
                    .contains("no netem qdisc (sch_netem)")
                    .contains("ImpairedLink");
        }
    }

    @Test
    void onWithoutNetemSaysSoAndChangesNothing() {
        Netem netem = new Netem(Duration.ofMillis(20), Duration.ofMillis(5), 0.1, 0, 7);
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            if (Netem.isAvailable()) {
                Fault fault = netem.on(ns, "lo");
                String shown = ns.exec("tc", "qdisc", "show", "dev", "lo").stdout();
                assertThat(shown).contains("netem").contains("delay 20ms");
                fault.heal();
                assertThat(ns.exec("tc", "qdisc", "show", "dev", "lo").stdout()).doesNotContain("netem");
            } else {
                assertThatThrownBy(() -> netem.on(ns, "lo"))
                        .isInstanceOf(UnsupportedOperationException.class)
                        .hasMessageContaining("sch_netem");
                assertThat(ns.exec("tc", "qdisc", "show", "dev", "lo").stdout()).doesNotContain("netem");
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void invalidValuesAreRejected() {
        assertThatThrownBy(() -> new Netem(Duration.ofMillis(-1), Duration.ZERO, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Netem(Duration.ZERO, Duration.ZERO, 1.5, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loss");
    }
}
