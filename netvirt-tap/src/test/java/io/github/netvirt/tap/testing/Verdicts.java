package io.github.netvirt.tap.testing;

import io.github.netvirt.tap.impair.Impairer;
import io.github.netvirt.tap.impair.Impairment;
import io.github.netvirt.tap.impair.Verdict;
import java.util.ArrayList;
import java.util.List;

/** What an {@link Impairer} decides, frame by frame, for tests that compare runs. */
public final class Verdicts {
    private Verdicts() {}

    /** The first {@code n} verdicts of a new impairer with {@code seed} and {@code impairment}. */
    public static List<Verdict> of(long seed, Impairment impairment, int n) {
        Impairer impairer = new Impairer(seed, impairment);
        List<Verdict> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            out.add(impairer.next());
        }
        return out;
    }
}
