package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Memory;
import io.github.netvirt.core.Topology;
import io.github.netvirt.core.TopologyBuilder;
import io.github.netvirt.core.testing.Topologies;
import io.github.netvirt.netlink.EventGroup;
import io.github.netvirt.netlink.EventSubscription;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.ChildJvm;
import io.github.netvirt.netns.testing.JvmThreads;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.tap.TapDevice;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Threads netvirt starts, directly or through a JDK or JNA facility it uses first, are born in the
 * JVM's namespace even when the first use comes from code inside {@link NetNamespace#call}: a
 * thread inherits its creator's namespace and would otherwise keep it for the life of the JVM.
 * Runs in a child JVM, so that every class is used for the first time inside the namespace and no
 * other test's threads are counted.
 */
@RequiresRoot
class ThreadsBornOutsideTest {
    /**
     * Child JVM: opens the namespace named args[0] (the only netvirt use outside), then the first use
     * of every public netvirt class inside call(), then lists the threads in a foreign namespace.
     */
    public static void main(String[] args) throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        try (NetNamespace ns = NetNamespace.open(args[0])) {
            int loaded = ns.call(() -> {
                new Memory(8)
                        .close(); // JNA memory first allocated inside (its cleaner thread started with JNA, outside)
                int n = 0;
                for (String name : netvirtClasses()) {
                    Class<?> c;
                    try {
                        c = Class.forName(name, true, ThreadsBornOutsideTest.class.getClassLoader());
                    } catch (UnsupportedClassVersionError forALaterJdk) {
                        continue; // netvirt-core's InetAddressResolverProvider is compiled for JDK 18+
                    }
                    n += Modifier.isPublic(c.getModifiers()) ? 1 : 0;
                }
                // the facilities that start threads on first use
                NetNamespace other = NetNamespace.ephemeral();
                open.add(other);
                open.add(TapDevice.tap("nvborn%d").open(other));
                NetlinkHandle h = NetlinkHandle.open(other);
                open.add(h);
                EventSubscription events = h.subscribe(EventGroup.LINK);
                events.listen(e -> {});
                open.add(events);
                Topology t = Topologies.twoHosts("a", "b", "10.9.0").ephemeral().apply();
                open.add(t);
                // enough named namespaces that close() deletes their names on threads of its own
                TopologyBuilder many = Topology.create()
                        .prefix("nvb" + ProcessHandle.current().pid() + "-")
                        .named();
                for (int i = 0; i < 32; i++) {
                    many.ns("h" + i);
                }
                many.apply().close();
                other.socketFactory().createSocket().close();
                // exec() inside call() (the JDK's process reaper) is checked by the process tests (Processes)
                return n;
            });
            System.out.println("loaded " + loaded + " public classes inside call()");
            for (JvmThreads.Task t : JvmThreads.outsideRootNamespace()) {
                String what = t.resident() ? "resident " : "FOREIGN ";
                System.out.println(what + t.tid() + " " + t.comm() + " " + t.netns());
            }
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
        }
        System.out.println("done");
        System.exit(0);
    }

    /** Every class of netvirt's main code (target/classes directories or netvirt jars) on the class path. */
    static List<String> netvirtClasses() throws IOException {
        List<String> names = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String s = p.toString();
            if (Files.isDirectory(p) && s.endsWith("target/classes") && s.contains("netvirt-")) {
                try (Stream<Path> files = Files.walk(p)) {
                    files.filter(f -> f.toString().endsWith(".class"))
                            .map(f -> p.relativize(f).toString())
                            .forEach(names::add);
                }
            } else if (s.endsWith(".jar")
                    && p.getFileName().toString().startsWith("netvirt-")
                    && !s.endsWith("-tests.jar")) {
                try (JarFile jar = new JarFile(p.toFile())) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        String n = e.nextElement().getName();
                        if (n.endsWith(".class")) {
                            names.add(n);
                        }
                    }
                }
            }
        }
        return names.stream()
                .filter(n -> n.startsWith("io/github/netvirt/")
                        && !n.endsWith("module-info.class")
                        && !n.endsWith("package-info.class"))
                .map(n -> n.substring(0, n.length() - 6).replace('/', '.'))
                .toList();
    }

    @Test
    void noThreadOtherThanTheResidentsIsLeftInsideANamespace() throws Exception {
        String name = "nvborn-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000;
        try (NetNamespace ns = NetNamespace.create(name)) {
            String out = ChildJvm.run(ThreadsBornOutsideTest.class, 120, name);
            System.out.println(out);
            assertThat(out).as(out).contains("done").containsPattern("loaded \\d{2,} public classes");
            assertThat(out.lines().filter(l -> l.startsWith("FOREIGN ")))
                    .as(out)
                    .isEmpty();
        } finally {
            if (NetNamespace.exists(name)) {
                NetNamespace.delete(name);
            }
        }
    }
}
