package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.Warnings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A process that code inside {@link NetNamespace#call} started with a plain {@link ProcessBuilder} is
 * born inside the namespace: close() of a namespace netvirt made ends it (this JVM's descendant), as
 * it ends those of {@code start()}; a process of another parent found there is only named.
 */
@RequiresRoot
class ProcessesLeftInsideTest {

    /** The kernel's word: {@code /proc/PID/ns/net} of a live process, null once it is gone. */
    private static String netnsOf(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net")).toString();
        } catch (IOException gone) {
            return null;
        }
    }

    private static void kill(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Test
    void aChildStartedInsideCallIsEndedAtClose() throws Exception {
        NetNamespace ns = NetNamespace.ephemeral();
        String id = ns.id();
        Process p = ns.call(() -> new ProcessBuilder("sleep", "301").start());
        try {
            assertThat(netnsOf(p.pid())).isEqualTo(id);
            List<String> w = Warnings.during(ns::close);
            // close() returns once the process is dead; the JDK's reaper thread reaps it a moment later
            assertThat(p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS))
                    .as("sleep 301 ended")
                    .isTrue();
            assertThat(netnsOf(p.pid())).as("/proc/%d/ns/net", p.pid()).isNull();
            assertThat(w)
                    .anySatisfy(
                            m -> assertThat(m).contains(id).contains("ended").contains(Long.toString(p.pid())));
        } finally {
            p.destroyForcibly();
            ns.close();
        }
    }

    @Test
    void closeAllEndsTheChildrenLeftInEveryNamespace() throws Exception {
        List<NetNamespace> all = NetNamespace.ephemeral(2);
        Object owner = new Object();
        all.forEach(ns -> ns.lend(owner));
        Process a = all.get(0).call(() -> new ProcessBuilder("sleep", "302").start());
        // a grandchild: sh waits for it, both are this JVM's descendants
        Process b = all.get(1).call(() -> new ProcessBuilder("sh", "-c", "sleep 303; true").start());
        try {
            NetNamespace.closeAll(all, owner);
            assertThat(a.waitFor(5, java.util.concurrent.TimeUnit.SECONDS))
                    .as("sleep 302 ended")
                    .isTrue();
            assertThat(b.waitFor(5, java.util.concurrent.TimeUnit.SECONDS))
                    .as("sh ended")
                    .isTrue();
            assertThat(netnsOf(a.pid())).isNull();
            assertThat(netnsOf(b.pid())).isNull();
        } finally {
            a.destroyForcibly();
            b.destroyForcibly();
            for (NetNamespace ns : all) {
                ns.close(owner);
            }
        }
    }

    @Test
    void aProcessOfAnotherParentIsOnlyNamed() throws Exception {
        NetNamespace ns = NetNamespace.ephemeral();
        String id = ns.id();
        // sh exits at once: its sleep goes to init (or a subreaper), no longer this JVM's descendant
        long orphan = ns.call(() -> {
            Process sh = new ProcessBuilder("sh", "-c", "sleep 304 >/dev/null 2>&1 & echo $!").start();
            String pid = new String(sh.getInputStream().readAllBytes()).trim();
            sh.waitFor();
            return Long.parseLong(pid);
        });
        try {
            assertThat(netnsOf(orphan)).isEqualTo(id);
            assertThat(ProcessHandle.current().descendants().map(ProcessHandle::pid))
                    .doesNotContain(orphan);
            List<String> w = Warnings.during(ns::close);
            assertThat(netnsOf(orphan)).as("the orphan is left alone").isEqualTo(id);
            assertThat(w)
                    .anySatisfy(m -> assertThat(m)
                            .contains(id)
                            .contains(Long.toString(orphan))
                            .contains("not this JVM's"));
        } finally {
            kill(orphan);
            ns.close();
        }
    }

    @Test
    void aDetachedProcessAndOneStartedThroughAnotherOpenHandleAreLeftAlone() throws Exception {
        NetNamespace made = NetNamespace.ephemeral();
        Process detached = made.startDetached(new ProcessBuilder("sleep", "305"));
        made.run(() -> {});
        Process inOpened = null;
        NetNamespace opened = NetNamespace.ofProcess(detached.pid()); // not made by this handle's factory
        try {
            inOpened = opened.call(() -> new ProcessBuilder("sleep", "306").start());
            String id = made.id();
            made.close(); // opened, still open, ran the code that started inOpened: left to its close

            assertThat(netnsOf(detached.pid())).as("detached").isEqualTo(id);
            assertThat(netnsOf(inOpened.pid()))
                    .as("started through another open handle")
                    .isEqualTo(id);
            opened.close(); // not made by netvirt: nothing is ended
            assertThat(netnsOf(inOpened.pid()))
                    .as("started inside an opened namespace")
                    .isEqualTo(id);
        } finally {
            detached.destroyForcibly();
            if (inOpened != null) {
                inOpened.destroyForcibly();
            }
            made.close();
            opened.close();
        }
    }
}
