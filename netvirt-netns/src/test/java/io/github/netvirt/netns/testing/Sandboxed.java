package io.github.netvirt.netns.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.Sandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a JVM through {@code bin/netvirt-run}, the user-namespace sandbox a developer without root
 * uses, either as the current user or as user {@code nobody}.
 */
public final class Sandboxed {
    private Sandboxed() {}

    /** {@code bin/netvirt-run} of this checkout, found from the module's directory upwards. */
    public static Path launcher() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("bin").resolve("netvirt-run");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError(
                "bin/netvirt-run not found above " + Path.of("").toAbsolutePath());
    }

    /** {@code netvirt-run java -cp <this JVM's class path> mainClass args...} as the current user. */
    public static Ip.Result java(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(launcher().toString()));
        cmd.addAll(javaCommand(System.getProperty("java.class.path"), List.of(), mainClass, args));
        return Ip.exec(cmd);
    }

    /**
     * The same as user {@code nobody} (setpriv drops every group and capability). The launcher and
     * the class path are first copied into a fresh directory nobody can read, since neither a
     * checkout nor {@code ~/.m2} under {@code /root} is; the copy is removed afterwards. Needs root;
     * skips the test inside a sandbox already (where {@code nobody} has no uid).
     */
    public static Ip.Result javaAsNobody(String mainClass, String... args) {
        return javaAsNobody(List.of(), mainClass, args);
    }

    /** {@link #javaAsNobody(String, String...)} with JVM options ({@code -Dkey=value}...). */
    public static Ip.Result javaAsNobody(List<String> jvmOptions, String mainClass, String... args) {
        return asNobody(List.of(), true, jvmOptions, mainClass, args);
    }

    /**
     * {@code java -cp <this JVM's class path> mainClass args...} as user {@code nobody} outside any
     * sandbox, with the capabilities {@code caps} (setpriv's form: {@code +net_admin,+sys_admin})
     * inheritable and ambient, so that the JVM holds them: a user other than root given some of root's.
     */
    public static Ip.Result javaAsNobodyWithCapabilities(String caps, String mainClass, String... args) {
        return asNobody(List.of("--inh-caps=" + caps, "--ambient-caps=" + caps), false, List.of(), mainClass, args);
    }

    private static Ip.Result asNobody(
            List<String> setpriv, boolean sandbox, List<String> jvmOptions, String mainClass, String... args) {
        Assumptions.assumeFalse(
                Sandbox.current().active(),
                "SKIPPED: in a user-namespace sandbox already, where user nobody has no uid");
        Path dir = null;
        try {
            dir = Files.createTempDirectory("netvirt-nobody-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path run = dir.resolve("netvirt-run");
            Files.copy(launcher(), run);
            Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
            List<String> cp = new ArrayList<>();
            int i = 0;
            for (String entry : System.getProperty("java.class.path").split(":")) {
                Path from = Path.of(entry);
                if (!Files.exists(from)) {
                    continue;
                }
                Path to = dir.resolve((i++) + "-" + from.getFileName());
                copyReadable(from, to);
                cp.add(to.toString());
            }
            List<String> cmd =
                    new ArrayList<>(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
            cmd.addAll(setpriv);
            cmd.addAll(List.of("env", "HOME=" + dir));
            if (sandbox) {
                cmd.add(run.toString());
            }
            cmd.addAll(javaCommand(String.join(":", cp), jvmOptions, mainClass, args));
            return Ip.exec(cmd);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                delete(dir);
            }
        }
    }

    private static List<String> javaCommand(
            String classPath, List<String> jvmOptions, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classPath, mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static void copyReadable(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            Files.copy(from, to);
            Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
            return;
        }
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                    Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(p, t);
                    Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asserts {@code out} (what a run as {@code nobody} printed) with {@code ifOpen} when /dev/net/tun
     * is open to others here (0666: nobody in a sandbox can open TAP devices), else with
     * {@code ifClosed}; the assertion's description says which mode the machine has.
     */
    public static void assertByDevNetTunMode(
            String out, Consumer<AbstractStringAssert<?>> ifOpen, Consumer<AbstractStringAssert<?>> ifClosed)
            throws IOException {
        boolean open = devNetTunOpenToOthers();
        (open ? ifOpen : ifClosed).accept(assertThat(out).as("/dev/net/tun is " + (open ? "0666" : "0600") + " here"));
    }

    private static boolean devNetTunOpenToOthers() throws IOException {
        return Files.getPosixFilePermissions(Path.of("/dev/net/tun"))
                .containsAll(Set.of(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE));
    }
}
