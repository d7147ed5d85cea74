package io.github.netvirt.core;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.Recipe;
import io.github.netvirt.netns.testing.StateDump;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What netvirt's work is checked against, from the outside: the seed recipe as a shell script
 * ({@link Recipe}), the kernel state as {@code ip -j} shows it ({@link StateDump}), names in the kernel.
 */
final class Reference {
    /** A link of {@code ip -j link}'s output: its ifindex and its name. */
    private static final Pattern LINK = Pattern.compile("\"ifindex\":(\\d+),[^{}]*?\"ifname\":\"([^\"]+)\"");

    private Reference() {}

    static Ip.Result run(String... cmd) {
        return Ip.exec(List.of(cmd));
    }

    static Ip.Result sh(String script) {
        return Ip.exec(List.of("sh", "-c", script));
    }

    /** The state of the namespaces starting with {@code prefix}, without lo (netvirt brings it up, scripts do not). */
    static String stateDump(String prefix) {
        return StateDump.of(prefix, StateDump.Option.NO_LOOPBACK);
    }

    /**
     * Names of the root namespace's links matching one of {@code fragments}. Other engineers' tests
     * make transient links in the root namespace, so tests compare only the names they own.
     */
    static List<String> rootLinks(String... fragments) {
        return Ip.ok("-br", "link")
                .lines()
                .map(l -> l.split("\\s+")[0].split("@")[0])
                .filter(n -> Arrays.stream(fragments).anyMatch(n::contains))
                .collect(Collectors.toList());
    }

    /** Namespaces whose name starts with {@code prefix}, sorted. */
    static List<String> namespaces(String prefix) {
        return NetNamespace.list().stream()
                .filter(n -> n.startsWith(prefix))
                .sorted()
                .collect(Collectors.toList());
    }

    /** The ifindexes of the links of topology {@code t}'s namespace {@code ns}, as {@code ip -j link} lists them. */
    static List<Integer> ifindexes(Topology t, String ns) throws Exception {
        List<Integer> all = new ArrayList<>();
        Matcher m = LINK.matcher(t.namespace(ns).exec("ip", "-j", "link").stdout());
        while (m.find()) {
            all.add(Integer.parseInt(m.group(1)));
        }
        return all;
    }

    /** The ifindex of device {@code dev} of topology {@code t}'s namespace {@code ns}, as {@code ip -j link} lists it. */
    static int ifindex(Topology t, String ns, String dev) throws Exception {
        Matcher m = LINK.matcher(t.namespace(ns).exec("ip", "-j", "link").stdout());
        while (m.find()) {
            if (m.group(2).equals(dev)) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("no " + dev + " in " + ns);
    }

    static void deleteNamespaces(String prefix) {
        DeleteNetnsAfter.prefixed(prefix).close();
    }

    /** This JVM's crash records (in its run directory) whose text contains {@code text}. */
    static List<Path> records(String text) throws IOException {
        Path dir = RunDir.current().path();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path r : s.toList()) {
                try {
                    if (Files.isRegularFile(r) && Files.readString(r).contains(text)) {
                        out.add(r);
                    }
                } catch (IOException e) {
                    // removed while we looked: not a record any more
                }
            }
        }
        return out;
    }
}
