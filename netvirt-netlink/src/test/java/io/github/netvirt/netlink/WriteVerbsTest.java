package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link NetlinkHandle} and {@link NetlinkBatch} offer the same write verbs: each request the handle
 * sends at once, a batch can queue, with the same parameters, and the other way round. No kernel.
 */
class WriteVerbsTest {
    /** A request that changes kernel state: {@code linkAdd}, {@code addrDel}, {@code linkSetMtu}, ... */
    private static final Pattern WRITE = Pattern.compile("(link|addr|route|neigh|qdisc|filter)(Add|Del|Replace|Set[A-Z]\\w*)");

    @Test
    void theHandleAndTheBatchOfferTheSameWriteVerbs() {
        assertThat(writeVerbs(NetlinkBatch.class)).isNotEmpty().isEqualTo(writeVerbs(NetlinkHandle.class));
    }

    @Test
    void batchVerbsChainAndHandleVerbsReturnNothing() {
        for (Method m : NetlinkBatch.class.getDeclaredMethods()) {
            if (isWrite(m)) {
                assertThat(m.getReturnType()).as(m.toString()).isEqualTo(NetlinkBatch.class);
            }
        }
        for (Method m : NetlinkHandle.class.getDeclaredMethods()) {
            if (isWrite(m)) {
                assertThat(m.getReturnType()).as(m.toString()).isEqualTo(void.class);
            }
        }
    }

    private static boolean isWrite(Method m) {
        return Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers())
                && WRITE.matcher(m.getName()).matches();
    }

    /** {@code name(ParamType, ...)} of every public write method. */
    private static Set<String> writeVerbs(Class<?> c) {
        Set<String> out = new TreeSet<>();
        for (Method m : c.getDeclaredMethods()) {
            if (isWrite(m)) {
                out.add(m.getName() + Arrays.toString(Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName).toArray()));
            }
        }
        return out;
    }
}
