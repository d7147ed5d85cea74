package io.github.netvirt.netns;

import java.io.File;
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
}
