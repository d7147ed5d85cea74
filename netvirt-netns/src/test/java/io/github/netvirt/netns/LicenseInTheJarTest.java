package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A library jar carries the licence it is distributed under (Apache-2.0, section 4(a): a copy of the
 * licence goes with the work), as META-INF/LICENSE: target/classes in the reactor, the jar once
 * packaged. No root needed.
 */
class LicenseInTheJarTest {
    @Test
    void theBuiltModuleCarriesMetaInfLicense() throws Exception {
        Path built = Path.of(NetNamespace.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        if (Files.isDirectory(built)) {
            assertLicense(built.resolve("META-INF/LICENSE"));
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(URI.create("jar:" + built.toUri()), Map.of())) {
                assertLicense(jar.getPath("/META-INF/LICENSE"));
            }
        }
    }

    private static void assertLicense(Path license) throws Exception {
        assertThat(license).exists();
        assertThat(Files.readString(license)).contains("Apache License").contains("Version 2.0");
    }
}
