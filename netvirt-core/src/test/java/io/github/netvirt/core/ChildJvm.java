package io.github.netvirt.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A second JVM for the tests of a killed owner: this JDK, the tests' class path, a run directory of the test's own. */
final class ChildJvm {
    private ChildJvm() {}

    /** {@code java -Dnetvirt.run.dir=RUNDIR -cp CLASSPATH MAIN ARGS}, its stderr merged into its stdout. */
    static ProcessBuilder of(Path runDir, Class<?> main, String... args) {
        return of(runDir, List.of(), main, args);
    }

    /** The same with JVM {@code options} after the run directory's. */
    static ProcessBuilder of(Path runDir, List<String> options, Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED"); // else JNA's warning is the child's first output
        }
        cmd.add("-D" + RunDir.PROPERTY + "=" + runDir);
        cmd.addAll(options);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true);
    }
}
