package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.ChildJvm;
import io.github.netvirt.netns.testing.RefusedSetns;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
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
                    ns.run(() -> { });
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
        String name = TestNames.unique("nvperm");
        try (NetNamespace ns = NetNamespace.create(name)) {
            String out = ChildJvm.runWithoutSysAdmin(SetnsRefusedTest.class, 120, name);
            System.out.println(out);
            List<String> attempts = out.lines().filter(l -> l.startsWith("entry=")).toList();
            assertThat(attempts).as(out).hasSize(8 * RefusedSetns.ATTEMPTS);
            assertThat(attempts).as(out).allSatisfy(l -> assertThat(l)
                    .contains("thrown=" + NetnsException.class.getName() + " errno=EPERM")
                    .contains(name)
                    .contains("CAP_SYS_ADMIN"));
            // the failed threads were not lost: the switching pool is still at most its size
            String threads = out.lines().filter(l -> l.startsWith("threads ")).findFirst().orElseThrow();
            int switching = Integer.parseInt(threads.replaceAll(".*netvirt-switch=(\\d+).*", "$1"));
            assertThat(switching).as(out).isLessThanOrEqualTo(4);
            assertThat(out).as(out).contains("closed ").doesNotContain("Exception in thread");
        } finally {
            if (NetNamespace.exists(name)) {
                NetNamespace.delete(name);
            }
        }
    }
}
