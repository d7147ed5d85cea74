package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.RequiresRoot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Actions registered with {@link NetNamespace#beforeClose} run once, first, on every kind of close. */
@RequiresRoot
class BeforeCloseTest {

    @Test
    void actionsRunOnceInOrderWhileTheHandleIsStillUsable() {
        List<String> ran = new ArrayList<>();
        NetNamespace ns = NetNamespace.ephemeral();
        ns.beforeClose(() -> ran.add("first"));
        ns.beforeClose(() -> ran.add("second"));
        NetNamespace.BeforeClose withdrawn = ns.beforeClose(() -> ran.add("withdrawn"));
        withdrawn.close();
        ns.close();
        ns.close();
        assertThat(ran).containsExactly("first", "second");
        assertThatThrownBy(() -> ns.beforeClose(() -> {})).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFailingActionDoesNotStopTheOthersNorTheClose() {
        List<String> ran = new ArrayList<>();
        NetNamespace ns = NetNamespace.ephemeral();
        ns.beforeClose(() -> {
            throw new IllegalStateException("cannot heal");
        });
        ns.beforeClose(() -> ran.add("second"));
        assertThatThrownBy(ns::close).hasMessage("cannot heal");
        assertThat(ran).containsExactly("second");
        assertThat(ns.isOpen()).isFalse();
    }

    @Test
    void closeAllAndALentHandleRunThemOnlyWhenTheOwnerCloses() {
        List<String> ran = new ArrayList<>();
        Object owner = new Object();
        NetNamespace lent = NetNamespace.ephemeral();
        lent.lend(owner);
        lent.beforeClose(() -> ran.add("lent"));
        lent.close(); // lent: nothing
        assertThat(ran).isEmpty();
        NetNamespace.closeAll(List.of(lent), owner);
        assertThat(ran).containsExactly("lent");
    }
}
