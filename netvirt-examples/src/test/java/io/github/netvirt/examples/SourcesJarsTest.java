package io.github.netvirt.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The sources jar of each library module holds every source file of its jar, from each source
 * directory (netvirt-core compiles {@code src/main/java18} apart): an IDE shows the code a user steps
 * into. Run after the modules are packaged ({@code mvn verify} packages each before this one runs);
 * skipped where they were not. No root needed.
 */
class SourcesJarsTest {
    private static final List<String> LIBRARIES = List.of(
            "netvirt-netns", "netvirt-netlink", "netvirt-tap", "netvirt-core", "netvirt-faults", "netvirt-junit");

    @Test
    void eachSourceFileIsInItsModulesSourcesJar() throws IOException {
        List<String> missing = new ArrayList<>();
        int jars = 0;
        for (String module : LIBRARIES) {
            Path dir = Path.of("..", module);
            Path jar = sourcesJar(dir.resolve("target"));
            if (jar == null) {
                continue;
            }
            jars++;
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (Path root : sourceRoots(dir.resolve("src/main"))) {
                    try (Stream<Path> files = Files.walk(root)) {
                        for (Path f : files.filter(p -> p.toString().endsWith(".java"))
                                .toList()) {
                            String entry = root.relativize(f).toString();
                            ZipEntry e = zip.getEntry(entry);
                            if (e == null) {
                                missing.add(module + ": " + dir.relativize(f));
                            }
                        }
                    }
                }
            }
        }
        assumeTrue(jars > 0, "no module is packaged");
        assertThat(missing)
                .as("source files missing from their module's sources jar")
                .isEmpty();
    }

    private static Path sourcesJar(Path target) throws IOException {
        if (!Files.isDirectory(target)) {
            return null;
        }
        try (Stream<Path> s = Files.list(target)) {
            return s.filter(p -> p.getFileName().toString().endsWith("-sources.jar"))
                    .findFirst()
                    .orElse(null);
        }
    }

    /** src/main/java and src/main/java18 and the like. */
    private static List<Path> sourceRoots(Path main) throws IOException {
        try (Stream<Path> s = Files.list(main)) {
            return s.filter(p -> p.getFileName().toString().startsWith("java")).toList();
        }
    }
}
