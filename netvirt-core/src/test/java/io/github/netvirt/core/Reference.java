package io.github.netvirt.core;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import java.util.List;
import java.util.stream.Collectors;

/** The project's reference scripts ({@code /work/shared/reference}), called in place. */
final class Reference {
    static final String DIR = System.getProperty("netvirt.reference", "/work/shared/reference");

    private Reference() {
    }

    /** A prefix short enough for the recipe's temporary root-namespace veth names (PREFIX + "veth1" <= 15 bytes). */
    static String recipePrefix() {
        return io.github.netvirt.netns.testing.TestNames.unique("c").replace("-", "") + "-";
    }

    static Ip.Result run(String... cmd) {
        return Ip.exec(List.of(cmd));
    }

    static Ip.Result sh(String script) {
        return Ip.exec(List.of("sh", "-c", script));
    }

    static void seedUp(String prefix) {
        ok(sh("PREFIX=" + prefix + " VARIANT=iplink " + DIR + "/seed-topology.sh up"));
    }

    static void seedDown(String prefix) {
        sh("PREFIX=" + prefix + " " + DIR + "/seed-topology.sh down");
    }

    /** state-dump.sh's output for the namespaces starting with {@code prefix}, without the lo lines. */
    static String stateDump(String prefix) {
        Ip.Result r = ok(run(DIR + "/state-dump.sh", prefix));
        return r.out().lines().filter(l -> !l.contains(" link lo ") && !l.contains("dev=lo"))
                .collect(Collectors.joining("\n"));
    }

    /**
     * Names of the root namespace's links matching one of {@code fragments}. Other engineers' tests
     * make transient links in the root namespace, so tests compare only the names they own.
     */
    static List<String> rootLinks(String... fragments) {
        return Ip.ok("-br", "link").lines().map(l -> l.split("\\s+")[0].split("@")[0])
                .filter(n -> java.util.Arrays.stream(fragments).anyMatch(n::contains)).collect(Collectors.toList());
    }

    static Ip.Result ok(Ip.Result r) {
        if (r.exitCode() != 0) {
            throw new AssertionError("exit " + r.exitCode() + ": " + r.err() + r.out());
        }
        return r;
    }

    /** Namespaces whose name starts with {@code prefix}. */
    static List<String> namespaces(String prefix) {
        return NetNamespace.list().stream().filter(n -> n.startsWith(prefix)).collect(Collectors.toList());
    }

    static void deleteNamespaces(String prefix) {
        for (String n : namespaces(prefix)) {
            Ip.run("netns", "del", n);
        }
    }
}
