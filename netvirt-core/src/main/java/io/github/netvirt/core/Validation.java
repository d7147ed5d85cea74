package io.github.netvirt.core;

import io.github.netvirt.core.spec.TopologySpec;
import java.util.List;
import java.util.Map;

/**
 * What the checks of one validation share: the builder's drafts, the problems found (in the order
 * they are reported), the live topology's description a change began from and what the validation
 * reads of the live topology in the kernel (both null outside a change).
 */
record Validation(
        Map<String, Drafts.Ns> namespaces, List<String> problems, TopologySpec base, Validator.Kernel kernel) {

    /** Whether the live topology a change began from has device {@code d} (false outside a change). */
    boolean isLive(Drafts.Dev d) {
        return base != null
                && base.findNamespace(d.ns).flatMap(x -> x.device(d.name)).isPresent();
    }
}
