package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a started process sees of the file system: its namespace's /sys, and /etc files as ip netns exec gives them. */
@RequiresRoot
class ProcessMountsTest {

    @Test
    void aStartedProcessSeesItsNamespacesInterfacesInSys() throws Exception {
        String name = TestNames.unique("nvpm");
        String dev = TestNames.unique("hKb");
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.of(name);
                NetNamespace ns = NetNamespace.create(name)) {
            Ip.ok("-n", name, "link", "add", dev, "type", "bridge");
            ExecResult r = ns.exec("ls", "/sys/class/net");
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(Arrays.asList(r.stdout().trim().split("\\s+"))).containsExactlyInAnyOrder("lo", dev);
            ExecResult mtu = ns.exec("cat", "/sys/class/net/" + dev + "/mtu");
            assertThat(mtu.stdout().trim()).isEqualTo("1500");
        }
    }

    @Test
    void etcFilesAreMountedForTheProcessOnlyAndNothingOnTheMachineChanges() throws Exception {
        byte[] machineHosts = Files.readAllBytes(Path.of("/etc/hosts"));
        String host = TestNames.unique("srv");
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            ns.etcFile("hosts", "127.0.0.1 localhost\n10.9.8.7 " + host + "\n");
            assertThat(ns.etcFiles()).containsOnlyKeys("hosts");
            ExecResult r = ns.exec("getent", "hosts", host);
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(r.stdout().trim().split("\\s+")).containsExactly("10.9.8.7", host);
            assertThat(ns.exec("ls", "/sys/class/net").stdout().trim())
                    .as("/sys with files too")
                    .isEqualTo("lo");
            assertThat(ns.exec("sh", "-c", "umask").stdout().trim())
                    .as("the JVM's umask")
                    .isEqualTo(jvmUmask());
            // a detached process gets them too
            Process p = ns.startDetached(new ProcessBuilder("cat", "/etc/hosts"));
            assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .contains("10.9.8.7 " + host);
            p.waitFor();

            ns.etcFile("hosts", null);
            assertThat(ns.exec("getent", "hosts", host).exitCode())
                    .as("removed: the machine's file again")
                    .isNotZero();
        }
        assertThat(Files.readAllBytes(Path.of("/etc/hosts"))).isEqualTo(machineHosts);
        assertThat(mountsMentioning("netvirt"))
                .as("no mount leaked into the JVM's mount namespace")
                .isEmpty();
    }

    @Test
    void aNamedNamespaceGetsEtcNetnsFilesAndTheHandlesOwnFilesWin() throws Exception {
        String name = TestNames.unique("nvpm");
        Path etcNetns = Path.of("/etc/netns");
        boolean madeParent = !Files.exists(etcNetns);
        Path dir = etcNetns.resolve(name);
        try (NetNamespace ns = NetNamespace.create(name)) {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("hosts"), "10.1.1.1 from-etc-netns\n");
            ExecResult r = ns.exec("cat", "/etc/hosts");
            assertThat(r.stdout()).isEqualTo("10.1.1.1 from-etc-netns\n");
            ns.etcFile("hosts", "10.2.2.2 from-handle\n");
            assertThat(ns.exec("cat", "/etc/hosts").stdout()).isEqualTo("10.2.2.2 from-handle\n");
        } finally {
            Files.deleteIfExists(dir.resolve("hosts"));
            Files.deleteIfExists(dir);
            if (madeParent) {
                try (var entries = Files.list(etcNetns)) {
                    if (entries.findAny().isEmpty()) {
                        Files.deleteIfExists(etcNetns);
                    }
                }
            }
            Ip.run("netns", "del", name);
        }
    }

    /**
     * As {@code ip netns exec}: a file of {@code /etc/netns/NAME} that {@code /etc} lacks, a dot file
     * among them, is named on stderr and passed over; the others are bound and the command runs.
     */
    @Test
    void aFileOfEtcNetnsThatEtcLacksIsPassedOver() throws Exception {
        String name = TestNames.unique("nvpm");
        Path etcNetns = Path.of("/etc/netns");
        boolean madeParent = !Files.exists(etcNetns);
        Path dir = etcNetns.resolve(name);
        List<String> files = List.of("hosts", "nvpm-not-in-etc.conf", ".nvpm-dot");
        try (NetNamespace ns = NetNamespace.create(name)) {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("hosts"), "10.1.1.1 from-etc-netns\n");
            Files.writeString(dir.resolve("nvpm-not-in-etc.conf"), "x\n");
            Files.writeString(dir.resolve(".nvpm-dot"), "x\n");
            ExecResult r = ns.exec("cat", "/etc/hosts");
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(r.stdout()).isEqualTo("10.1.1.1 from-etc-netns\n");
            assertThat(r.stderr())
                    .contains("netvirt: cannot bind " + dir.resolve("nvpm-not-in-etc.conf")
                            + " over /etc/nvpm-not-in-etc.conf: passed over")
                    .contains("netvirt: cannot bind " + dir.resolve(".nvpm-dot") + " over /etc/.nvpm-dot: passed over")
                    .doesNotContain("/etc/hosts");
        } finally {
            for (String f : files) {
                Files.deleteIfExists(dir.resolve(f));
            }
            Files.deleteIfExists(dir);
            if (madeParent) {
                try (var entries = Files.list(etcNetns)) {
                    if (entries.findAny().isEmpty()) {
                        Files.deleteIfExists(etcNetns);
                    }
                }
            }
            Ip.run("netns", "del", name);
        }
    }

    /** A file of the handle's own that /etc no longer has when the process starts: the command never runs. */
    @Test
    void aFileThatCannotBeMountedKeepsTheCommandFromRunning() throws Exception {
        String name = TestNames.unique("nvpm-gone");
        Path file = Path.of("/etc", name);
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            Files.writeString(file, "");
            ns.etcFile(name, "x");
            Files.delete(file);
            ExecResult r = ns.exec("echo", "ran");
            assertThat(r.exitCode()).isEqualTo(ProcessMounts.FAILED);
            assertThat(r.stdout()).isEmpty();
            assertThat(r.stderr()).startsWith("netvirt: /etc/" + name + " does not exist");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * The command's environment is its own: a PATH without util-linux and sh in it (a tool directory)
     * must not keep netvirt's wrapper from starting, and the command gets that PATH unchanged.
     */
    @Test
    void aPathOfTheCommandsOwnDoesNotBreakTheWrapper() throws Exception {
        Path bin = Files.createTempDirectory("netvirt-bin");
        Path tool = bin.resolve("show");
        Files.writeString(tool, "#!/bin/sh\necho \"$PATH\"\nwhile read -r l; do echo \"$l\"; done < /etc/hosts\n");
        assertThat(tool.toFile().setExecutable(true)).isTrue();
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            for (boolean withFile : List.of(false, true)) {
                if (withFile) {
                    ns.etcFile("hosts", "10.9.9.9 netvirt-tool-host\n");
                }
                ProcessBuilder b = new ProcessBuilder(tool.toString());
                b.environment().put("PATH", bin.toString());
                Process p = ns.start(b);
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor()).as(err).isZero();
                assertThat(out).startsWith(bin + "\n");
                if (withFile) {
                    assertThat(out).endsWith("\n10.9.9.9 netvirt-tool-host\n");
                }
            }
        } finally {
            Files.delete(tool);
            Files.delete(bin);
        }
    }

    /**
     * The content reaches the file as its UTF-8 bytes in whatever locale the JVM runs (a container's
     * is often C, without UTF-8): a child JVM in the C locale writes non-ASCII content and a backslash.
     */
    @Test
    void nonAsciiContentIsWrittenAsUtf8InACLocale() throws Exception {
        assertThat(inCLocale()).contains("SAME").doesNotContain("DIFFERENT");
    }

    /**
     * Content up to the 64 KiB etcFile accepts, all beyond ASCII, in the C locale: escaped it is five
     * times as long, beyond the kernel's 128 KiB for one argument (E2BIG at start before the fix).
     */
    @Test
    void largeNonAsciiContentIsWrittenInACLocale() throws Exception {
        assertThat(inCLocale("large")).contains("SAME").doesNotContain("DIFFERENT");
    }

    /** What {@link EtcFileInCLocale} prints in a child JVM in the C locale. */
    private static String inCLocale(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                EtcFileInCLocale.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true);
        b.environment().keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG"));
        b.environment().put("LC_ALL", "C");
        Process child = b.start();
        try {
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return out;
        } finally {
            child.destroyForcibly();
        }
    }

    /** Child JVM for {@link #nonAsciiContentIsWrittenAsUtf8InACLocale}: prints only ASCII. */
    public static final class EtcFileInCLocale {
        public static void main(String[] args) throws Exception {
            String content = args.length == 0
                    ? "10.9.9.9 caf\u00e9 \u00fcber-\u4e2d \\x %s\n"
                    : "# " + "\u00e9\u4e2d".repeat(13000) + "\\x %s\n";
            try (NetNamespace ns = NetNamespace.ephemeral()) {
                ns.etcFile("hosts", content);
                Process p = ns.start(new ProcessBuilder("cat", "/etc/hosts"));
                byte[] seen = p.getInputStream().readAllBytes();
                p.waitFor();
                byte[] expected = content.getBytes(StandardCharsets.UTF_8);
                System.out.println(
                        Arrays.equals(seen, expected)
                                ? "SAME"
                                : "DIFFERENT: " + Arrays.toString(seen) + " instead of " + Arrays.toString(expected));
            }
        }
    }

    @Test
    void badFileNamesAndContentAreRefused() {
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            for (String bad : List.of("", "../passwd", "a/b", ".hidden", "x y")) {
                assertThatThrownBy(() -> ns.etcFile(bad, "x")).as(bad).isInstanceOf(IllegalArgumentException.class);
            }
            assertThatThrownBy(() -> ns.etcFile("hosts", "a\0b")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ns.etcFile("nvpm-no-such-file", "x"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("/etc/nvpm-no-such-file does not exist");
            ns.etcFile("nvpm-no-such-file", null); // removing one that was never set: nothing to check
            assertThat(ns.etcFiles()).isEmpty();
        }
    }

    private static String jvmUmask() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Umask:"))
                .findFirst()
                .orElseThrow()
                .substring("Umask:".length())
                .trim();
    }

    private static List<String> mountsMentioning(String word) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> l.contains(word))
                .toList();
    }
}
