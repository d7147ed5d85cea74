package io.github.netvirt.netns;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The programs that run on the way to a started command ({@link Processes}, {@link ProcessMounts}),
 * found once through the JVM's {@code PATH}, as the JDK finds the program it starts. Each of them
 * execs the next, and exec looks a bare name up in the {@code PATH} of the command's environment,
 * which is the caller's to set (to a directory of its own tools, say).
 */
final class Programs {
    static final String SETPRIV = find("setpriv");
    static final String NSENTER = find("nsenter");
    static final String UNSHARE = find("unshare");
    static final String SH = find("sh");
    static final String MOUNT = find("mount");
    static final String UMOUNT = find("umount");
    /** The PATH {@code sh} searches when its environment has none (dash's and bash's default). */
    private static final String SH_DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private Programs() {}

    /** The absolute path of {@code name} in the JVM's PATH; the bare name if it is not there (its exec fails as before). */
    static String find(String name) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/bin:/bin" : path).split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name).toAbsolutePath();
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return name;
    }

    /**
     * Throws what {@link ProcessBuilder#start()} throws, before anything runs, when {@code builder}'s
     * program cannot be run: a builder's directory that is none, a name with a {@code /} that is not an executable file (relative to the
     * builder's directory), or a bare name found in no directory of the {@code PATH} the process runs
     * with (the builder's environment: the wrapper's {@code exec} searches that one). Otherwise the
     * wrapper would start and exit 127 only after the namespace was entered.
     */
    static void checkRunnable(ProcessBuilder builder, String program) throws IOException {
        if (program.indexOf('\0') >= 0) {
            return; // no path: ProcessBuilder.start refuses it itself
        }
        File dir = builder.directory();
        Path cwd = dir == null ? Path.of("").toAbsolutePath() : dir.toPath().toAbsolutePath();
        int errno;
        if (dir != null && !Files.isDirectory(cwd)) {
            errno = Files.exists(cwd) ? 20 : 2; // the child's chdir fails: ENOTDIR, ENOENT
        } else if (program.contains("/")) {
            Path p = cwd.resolve(program);
            errno = executable(p) ? 0 : Files.exists(p) ? 13 : 2;
        } else {
            String path = builder.environment().get("PATH");
            errno = 2; // as execvp: EACCES if a file of that name was found but none could run, else ENOENT
            for (String d : (path == null ? SH_DEFAULT_PATH : path).split(":", -1)) {
                Path p = cwd.resolve(d.isEmpty() ? "." : d).resolve(program);
                if (executable(p)) {
                    return;
                }
                if (Files.exists(p)) {
                    errno = 13;
                }
            }
        }
        if (errno != 0) {
            IOException cause = new IOException("error=" + errno + ", "
                    + switch (errno) {
                        case 2 -> "No such file or directory";
                        case 20 -> "Not a directory";
                        default -> "Permission denied";
                    });
            throw new IOException(
                    "Cannot run program \"" + program + "\"" + (dir == null ? "" : " (in directory \"" + dir + "\")")
                            + ": " + cause.getMessage(),
                    cause);
        }
    }

    private static boolean executable(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p);
    }
}
