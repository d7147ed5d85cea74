package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** netvirt-junit's module as built exports its one API package. No root needed. */
class ModuleDescriptorTest {
    @Test
    void theModuleExportsItsApiPackageOnly() throws Exception {
        Path built = Path.of(NetvirtExtension.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        ModuleDescriptor d = ModuleFinder.of(built).findAll().iterator().next().descriptor();
        assertThat(d.name()).isEqualTo("io.github.netvirt.junit");
        assertThat(d.exports()).extracting(ModuleDescriptor.Exports::source).containsExactly("io.github.netvirt.junit");
    }
}
