package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RefusedSetns;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A JVM that may open a namespace but not enter it (no CAP_SYS_ADMIN in its bounding set, as in a
 * container that refuses setns) gets a NetnsException from every entry point, quickly, instead of
 * waiting forever for a thread that died in its factory.
 */
@RequiresRoot
class SetnsRefusedTest {
    /** Child JVM: args[0] names a namespace made by the parent. */
    public static void main(String[] args) throws Exception {
        NetNamespace ns = NetNamespace.open(args[0]);
        new RefusedSetns()
                .entry("call", () -> ns.call(() -> "hi"))
                .entry("run", () -> {
                    ns.run(() -> {});
                    return null;
                })
                .entry("submit", () -> ns.submit(() -> "hi").get(5, TimeUnit.SECONDS))
                .entry("inside", () -> ns.inside(() -> "hi"))
                .entry("insideEach", () -> NetNamespace.insideEach(List.of(ns), n -> "hi"))
                .entry("socketFactory", () -> ns.socketFactory().createSocket())
                .entry("serverSocketFactory", () -> ns.serverSocketFactory().createServerSocket())
                .entry("openDatagramChannel", ns::openDatagramChannel)
                .runAll();
        ns.close();
        System.out.println("closed " + RefusedSetns.netvirtThreads());
        System.exit(0);
    }

    @Test
    void everyEntryPointFailsFastWithTheErrnoTheNamespaceAndTheHint() throws Exception {
        String out = RefusedSetns.runChildAndCheck(SetnsRefusedTest.class, 120, 8);
        // the failed threads were not lost: the switching pool is still at most its size
        String threads =
                out.lines().filter(l -> l.startsWith("threads ")).findFirst().orElseThrow();
        int switching = Integer.parseInt(threads.replaceAll(".*netvirt-switch=(\\d+).*", "$1"));
        assertThat(switching).as(out).isLessThanOrEqualTo(4);
        assertThat(out).as(out).contains("closed ").doesNotContain("Exception in thread");
    }
}
