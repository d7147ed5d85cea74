package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Native;
import io.github.netvirt.core.Topology;
import io.github.netvirt.faults.Fault;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.tap.TapDevice;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;
import org.apiguardian.api.API;
import org.junit.jupiter.api.Test;
import org.junit.platform.commons.support.ReflectionSupport;
import org.opentest4j.AssertionFailedError;

/**
 * A user's tests on the module path (a test {@code module-info} that requires io.github.netvirt.junit):
 * JUnit, itself a module there, makes the extensions {@link NetvirtTest} and {@link CaptureOnFailure}
 * register by reflection. No root needed.
 */
class ExtensionsOnTheModulePathTest {
    private static Path location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static ModuleLayer layer() throws URISyntaxException {
        ModuleFinder finder = ModuleFinder.of(
                location(NetvirtExtension.class),
                location(Topology.class),
                location(Fault.class),
                location(NetNamespace.class),
                location(NetlinkHandle.class),
                location(TapDevice.class),
                location(Native.class),
                location(Test.class),
                location(ReflectionSupport.class),
                location(AssertionFailedError.class),
                location(API.class));
        Configuration cf = ModuleLayer.boot()
                .configuration()
                .resolve(finder, ModuleFinder.of(), Set.of("io.github.netvirt.junit"));
        return ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
    }

    @Test
    void junitMakesTheExtensionsOfNetvirtTestAndCaptureOnFailure() throws Exception {
        ModuleLayer layer = layer();
        assertThat(layer.findModule("org.junit.platform.commons")).isPresent();
        ClassLoader loader = layer.findLoader("io.github.netvirt.junit");
        // what JUnit's extension registry calls for each @ExtendWith class
        Method newInstance = loader.loadClass(ReflectionSupport.class.getName())
                .getMethod("newInstance", Class.class, Object[].class);
        for (String name : new String[] {NetvirtExtension.class.getName(), CaptureExtension.class.getName()}) {
            Class<?> extension = loader.loadClass(name);
            assertThat(extension.getModule().getName()).isEqualTo("io.github.netvirt.junit");
            assertThat(newInstance.invoke(null, extension, new Object[0]))
                    .as(name)
                    .isInstanceOf(extension);
        }
    }
}
