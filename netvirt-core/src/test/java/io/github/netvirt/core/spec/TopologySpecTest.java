package io.github.netvirt.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class TopologySpecTest {

    private static NamespaceSpec ns(String name) {
        return new NamespaceSpec(name, "p" + name, false, false, List.of(), List.of());
    }

    @Test
    void looksNamespacesUpByName() {
        List<NamespaceSpec> list = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            list.add(ns("h" + i));
        }
        TopologySpec spec = new TopologySpec("p", false, list);
        assertThat(spec.namespace("h0")).isSameAs(list.get(0));
        assertThat(spec.namespace("h999")).isSameAs(list.get(999));
        assertThat(spec.findNamespace("h1000")).isEmpty();
        assertThat(spec.findNamespace(TopologySpec.ROOT)).isEmpty();
        assertThatThrownBy(() -> spec.namespace("nope"))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessage("no namespace nope in this topology");
    }

    @Test
    void isAnImmutableValue() {
        List<NamespaceSpec> list = new ArrayList<>(List.of(ns("a"), ns("b")));
        TopologySpec spec = new TopologySpec("p", true, list);
        list.add(ns("c")); // the caller's list is copied
        assertThat(spec.namespaces()).extracting(NamespaceSpec::name).containsExactly("a", "b");
        assertThat(spec.findNamespace("c")).isEmpty();
        assertThatThrownBy(() -> spec.namespaces().add(ns("d"))).isInstanceOf(UnsupportedOperationException.class);
        TopologySpec same = new TopologySpec("p", true, List.of(ns("a"), ns("b")));
        assertThat(spec).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(spec).isNotEqualTo(new TopologySpec("p", false, List.of(ns("a"), ns("b"))));
        assertThat(spec).isNotEqualTo(new TopologySpec("q", true, List.of(ns("a"), ns("b"))));
        assertThat(spec).isNotEqualTo(new TopologySpec("p", true, List.of(ns("b"), ns("a"))));
    }
}
