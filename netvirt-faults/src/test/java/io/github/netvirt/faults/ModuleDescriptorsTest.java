package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Native;
import io.github.netvirt.core.Topology;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.tap.TapDevice;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The library modules as built (target/classes or the jars, whichever the tests run from): they
 * resolve together with JNA, export only their API packages, and netvirt-netns's native layer is
 * readable by netvirt's own modules only. No root needed.
 */
class ModuleDescriptorsTest {
    private static final String INTERNAL = "io.github.netvirt.netns.internal";

    private static Path location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static ModuleLayer layer() throws URISyntaxException {
        ModuleFinder finder = ModuleFinder.of(
                location(NetNamespace.class),
                location(NetlinkHandle.class),
                location(TapDevice.class),
                location(Topology.class),
                location(Fault.class),
                location(Native.class));
        Configuration cf = ModuleLayer.boot()
                .configuration()
                .resolve(finder, ModuleFinder.of(), Set.of("io.github.netvirt.faults"));
        return ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
    }

    @Test
    void eachModuleExportsItsApiPackagesAndNothingElse() throws Exception {
        Map<String, Set<String>> exported = new TreeMap<>();
        for (Module m : layer().modules()) {
            if (m.getName().startsWith("io.github.netvirt.")) {
                exported.put(
                        m.getName(),
                        m.getDescriptor().exports().stream()
                                .filter(e -> !e.isQualified())
                                .map(ModuleDescriptor.Exports::source)
                                .collect(Collectors.toCollection(TreeSet::new)));
            }
        }
        assertThat(exported)
                .containsExactlyEntriesOf(new TreeMap<>(Map.of(
                        "io.github.netvirt.core", Set.of("io.github.netvirt.core", "io.github.netvirt.core.spec"),
                        "io.github.netvirt.faults",
                                Set.of("io.github.netvirt.faults", "io.github.netvirt.faults.impair"),
                        "io.github.netvirt.netlink",
                                Set.of(
                                        "io.github.netvirt.netlink",
                                        "io.github.netvirt.netlink.codec",
                                        "io.github.netvirt.netlink.nftables"),
                        "io.github.netvirt.netns", Set.of("io.github.netvirt.netns", "io.github.netvirt.netns.sys"),
                        "io.github.netvirt.tap",
                                Set.of(
                                        "io.github.netvirt.tap",
                                        "io.github.netvirt.tap.impair",
                                        "io.github.netvirt.tap.packet",
                                        "io.github.netvirt.tap.pcap"))));
    }

    @Test
    void theNativeLayerIsReadableByNetvirtsModulesOnly() throws Exception {
        ModuleLayer layer = layer();
        Module netns = layer.findModule("io.github.netvirt.netns").orElseThrow();
        assertThat(netns.getPackages()).contains(INTERNAL);
        assertThat(netns.isExported(INTERNAL)).isFalse();
        for (String user : List.of("netlink", "tap", "core", "faults")) {
            assertThat(netns.isExported(
                            INTERNAL,
                            layer.findModule("io.github.netvirt." + user).orElseThrow()))
                    .as(user)
                    .isTrue();
        }
        // a user's module (here: an unnamed one, like the class path) cannot reach it
        assertThat(netns.isExported(INTERNAL, getClass().getModule())).isFalse();
        assertThat(netns.getDescriptor().opens()).isEmpty();
    }
}
