package io.github.netvirt.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.internal.ProcPids;
import org.junit.jupiter.api.Test;

/** An adoption by pid names the process that had the pid, by its start time: no root needed to read it. */
class AdoptionTest {
    private static final long SELF = ProcPids.self();

    @Test
    void namesTheProcessThatHasThePidNow() {
        Adoption a = Adoption.pid(SELF);
        assertThat(a.startTime()).isEqualTo(ProcPids.startTime(SELF));
        assertThat(a).isEqualTo(Adoption.pid(SELF)).hasToString("pid " + SELF);
        assertThat(a.exited()).isNull();
    }

    @Test
    void aPidWhoseProcessStartedAtAnotherTimeIsAnotherProcesss() {
        Adoption before = new Adoption(null, SELF, "1", null);
        assertThat(before).isNotEqualTo(Adoption.pid(SELF));
        assertThat(before.exited())
                .isEqualTo("process " + SELF + " that adoptPid named has exited (its pid now belongs to another"
                        + " process)");
        assertThatThrownBy(before::open)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(before.exited());
        assertThat(new Adoption(null, SELF, null, null).exited())
                .isEqualTo("there was no process " + SELF
                        + " when it was adopted (the one that has its pid now is another)");
    }

    @Test
    void onlyAnAdoptionByPidHasAStartTime() {
        assertThatThrownBy(() -> new Adoption("x", 0, "1", null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Adoption.netns("x").startTime()).isNull();
        assertThat(Adoption.netns("x").exited()).isNull();
    }
}
