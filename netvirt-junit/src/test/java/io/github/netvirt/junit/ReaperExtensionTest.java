package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NameFile;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.ReservedName;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The extension starts the background reaper: a dead owner's namespace is removed in a JVM whose
 * tests apply nothing and call nothing.
 */
@RequiresRoot
class ReaperExtensionTest {
    static final String RECORD = "netvirt.test.record";

    @NetvirtTest
    @ExtendWith(InnerOnly.class)
    static class NoNetworkAtAll {
        @Test
        void theDeadOwnersRecordGoes() throws Exception {
            Path record = Path.of(System.getProperty(RECORD));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (Files.exists(record) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(record).doesNotExist();
        }
    }

    @Test
    void aJvmThatOnlyStartsTheExtensionReapsADeadOwnersNamespace() throws Exception {
        String name = TestNames.unique("rx");
        Path runDir = Files.createTempDirectory("netvirt-run");
        try {
            long cookie;
            NameFile[] file = new NameFile[1];
            try (NetNamespace ns = NetNamespace.ephemeral();
                    ReservedName reserved = NetNamespace.reserveName(name, f -> file[0] = f);
                    NetNamespace named = ns.attach(reserved)) {
                cookie = named.cookie();
            }
            // the lines netvirt writes for a named namespace, of an owner that is not running
            String boot =
                    Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
            Path record = Files.writeString(
                    runDir.resolve("99999999-1-1.topology"),
                    "netvirt-record 1\nowner 99999999 1\nboot " + boot + "\ntopology " + name + "\nns "
                            + Long.toUnsignedString(cookie) + " " + name + "\nns-file "
                            + Long.toUnsignedString(file[0].inode()) + " " + name + " " + file[0].birth() + "\n");
            Ip.Result r = Ip.exec(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dnetvirt.run.dir=" + runDir,
                    "-D" + RECORD + "=" + record,
                    "-cp",
                    System.getProperty("java.class.path"),
                    LaunchInner.class.getName(),
                    NoNetworkAtAll.class.getName()));
            assertThat(r.out()).as(r.err()).contains("started=1 failed=0");
            assertThat(NetNamespace.exists(name)).isFalse();
        } finally {
            Ip.run("netns", "del", name);
            try (var files = Files.list(runDir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(runDir);
        }
    }
}
