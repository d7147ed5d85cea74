package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link NetlinkHandle} and {@link NetlinkBatch} offer the same write verbs because each verb is
 * written once, in {@link NetlinkWriter}: neither declares one of its own, which would exist on one
 * side only. No kernel.
 */
class WriteVerbsTest {
    /** A request that changes kernel state: {@code linkAdd}, {@code addrDel}, {@code linkSetMtu}, ... */
    private static final Pattern WRITE =
            Pattern.compile("(link|addr|route|neigh|qdisc|filter)(Add|Del|Replace|Set[A-Z]\\w*)");

    @Test
    void everyWriteVerbIsWrittenOnceInTheSharedBase() {
        assertThat(writeVerbs(NetlinkWriter.class))
                .contains(
                        "linkAdd[LinkSpec]",
                        "addrDel[String, IpPrefix]",
                        "linkSetAlias[int, String]",
                        "linkSetNetns[String, NetNamespace]",
                        "filterDel[FilterSpec]");
        assertThat(writeVerbs(NetlinkHandle.class)).isEmpty();
        assertThat(writeVerbs(NetlinkBatch.class)).isEmpty();
    }

    @Test
    void verbsChainOnTheHandleAndOnTheBatch() {
        // the compiler checks the types: neither chain would compile if a verb returned the base class
        UnaryOperator<NetlinkHandle> onHandle = h -> h.linkSetUp(1).linkSetDown("x");
        NetlinkBatch b = new NetlinkBatch(null).linkSetUp(1).linkSetDown("x");
        assertThat(onHandle).isNotNull();
        assertThat(b.descriptions()).hasSize(2);
    }

    /** {@code name(ParamType, ...)} of every public write method a class declares itself. */
    private static Set<String> writeVerbs(Class<?> c) {
        Set<String> out = new TreeSet<>();
        for (Method m : c.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers())
                    && !Modifier.isStatic(m.getModifiers())
                    && !m.isBridge()
                    && WRITE.matcher(m.getName()).matches()) {
                out.add(m.getName()
                        + Arrays.toString(Arrays.stream(m.getParameterTypes())
                                .map(Class::getSimpleName)
                                .toArray()));
            }
        }
        return out;
    }
}
