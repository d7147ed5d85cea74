package io.github.netvirt.bench.stress;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;

/**
 * 10 000 uses of namespace handles (call, socket factories, NetlinkHandle.open, insideEach) by 8
 * threads while another thread closes half of the handles: every use runs in the namespace it asked
 * for or is refused with IllegalStateException; none lands elsewhere, fails otherwise or hangs.
 * The same loop is the {@code nsstress} bench workload (RELIABILITY.md).
 */
@RequiresRoot
class NamespaceStressTest {

    @Test
    void tenThousandUsesRacingCloseNeverLandInAnotherNamespace() throws Exception {
        String prefix = TestNames.unique("nvst");
        NamespaceStress stress = new NamespaceStress(prefix);
        try {
            stress.setUp();
            NamespaceStress.Result r = stress.run(10_000);
            System.out.println("nsstress " + r.summary());
            for (NamespaceStress.Use u : NamespaceStress.Use.values()) {
                System.out.println("nsstress " + r.line(u));
            }
            r.samples().forEach(s -> System.out.println("sample " + s));
            assertThat(r.hung()).as(r.samples().toString()).isZero();
            assertThat(r.total(NamespaceStress.Outcome.MISMATCH))
                    .as(r.summary())
                    .isZero();
            assertThat(r.total(NamespaceStress.Outcome.ERROR))
                    .as(r.samples().toString())
                    .isZero();
            // the race was exercised: every entry point both succeeded and was refused after a close
            for (NamespaceStress.Use u : NamespaceStress.Use.values()) {
                assertThat(r.counts().get(u)[NamespaceStress.Outcome.OK.ordinal()])
                        .as(r.line(u))
                        .isPositive();
            }
            assertThat(r.total(NamespaceStress.Outcome.REFUSED)).as(r.summary()).isPositive();
        } finally {
            stress.tearDown();
        }
        for (int k = 0; k < NamespaceStress.NAMESPACES; k++) {
            assertThat(NetNamespace.exists(prefix + "-" + k)).isFalse();
        }
    }
}
