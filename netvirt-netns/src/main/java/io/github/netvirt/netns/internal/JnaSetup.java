package io.github.netvirt.netns.internal;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.CodeSource;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

/**
 * JNA's system properties, set once before JNA's {@code Native} class initialises (netvirt touches
 * JNA first through {@link LibC}). Two costs of a fresh JVM go away:
 * <ul>
 * <li>JNA runs {@code /sbin/ldconfig -p} as a child process to find libraries unless
 * {@code jna.platform.library.path} is set;</li>
 * <li>JNA unpacks its native part, {@code libjnidispatch.so}, from its jar into a new temporary file on
 * every start, and {@code File.createTempFile} initialises {@code SecureRandom} and the security
 * providers to name it. netvirt instead keeps one copy per user and JNA build in
 * {@code $XDG_CACHE_HOME/netvirt/jna-<version>-<platform>/} (default {@code ~/.cache}) and points
 * {@code jna.boot.library.path} at it; the copy's size and CRC are compared with the jar entry's on
 * every start and it is rewritten (atomically) when they differ.</li>
 * </ul>
 * A property the user set wins; a cache that cannot be used safely (not a directory of this user's
 * alone) leaves JNA to its default unpacking. Not thread-safe: called from {@link LibC}'s initialiser.
 */
final class JnaSetup {
    /** Where every Linux distribution keeps libc when there is no multiarch directory. */
    static final String GENERIC_PATH = "/lib64:/usr/lib64:/lib:/usr/lib";

    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

    private JnaSetup() {}

    static void prepare() {
        if (System.getProperty("jna.platform.library.path") == null) {
            System.setProperty("jna.platform.library.path", platformPath(System.getProperty("os.arch", "")));
        }
        if (System.getProperty("jna.boot.library.path") != null
                || System.getProperty("jna.boot.library.name") != null
                || Boolean.getBoolean("jna.nounpack")) {
            return;
        }
        Path dir = cacheDir();
        if (dir != null && cached(dir)) {
            System.setProperty("jna.boot.library.path", dir.toString());
        }
    }

    /**
     * The library search path for a JVM whose {@code os.arch} is {@code arch}: the Debian/Ubuntu
     * multiarch directories of that architecture first, then {@link #GENERIC_PATH} (Fedora, Arch,
     * Alpine...). An architecture not listed gets the generic directories only.
     */
    static String platformPath(String arch) {
        String triplet = multiarch(arch);
        return triplet == null ? GENERIC_PATH : "/lib/" + triplet + ":/usr/lib/" + triplet + ":" + GENERIC_PATH;
    }

    /** The GNU multiarch triplet for a Java {@code os.arch} value, or null. */
    private static String multiarch(String arch) {
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64", "arm64" -> "aarch64-linux-gnu";
            case "x86", "i386", "i486", "i586", "i686" -> "i386-linux-gnu";
            case "arm" -> "arm-linux-gnueabihf";
            case "ppc64le" -> "powerpc64le-linux-gnu";
            case "s390x" -> "s390x-linux-gnu";
            case "riscv64" -> "riscv64-linux-gnu";
            case "loongarch64" -> "loongarch64-linux-gnu";
            case "mips64el" -> "mips64el-linux-gnuabi64";
            default -> null;
        };
    }

    /**
     * The per-user cache directory for this JNA build (not created), or null when there is no home.
     * {@code Native.VERSION_NATIVE} is a compile-time constant and {@code Platform} does not touch
     * {@code Native} when it initialises on a 64-bit JVM: neither starts JNA.
     */
    static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base;
        if (xdg != null && xdg.startsWith("/")) {
            base = Path.of(xdg);
        } else {
            String home = System.getProperty("user.home");
            if (home == null || !home.startsWith("/")) {
                return null;
            }
            base = Path.of(home, ".cache");
        }
        return base.resolve("netvirt").resolve("jna-" + Native.VERSION_NATIVE + "-" + Platform.RESOURCE_PREFIX);
    }

    /** True when {@code dir} holds this JNA's dispatch library, unpacking it there first if needed. */
    static boolean cached(Path dir) {
        String name = System.mapLibraryName("jnidispatch");
        String entry = "com/sun/jna/" + Platform.RESOURCE_PREFIX + "/" + name;
        Path file = dir.resolve(name);
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PRIVATE));
            if (!privateTo(dir.getParent()) || !privateTo(dir)) {
                return false;
            }
            Path jar = jnaJar();
            if (jar != null) {
                // the entry's size and CRC are in the jar's directory: a valid copy costs no inflating
                // (reading the resource through the class loader took 24-93 ms of a fresh JVM here)
                try (JarFile j = new JarFile(jar.toFile(), false)) {
                    ZipEntry e = j.getEntry(entry);
                    if (e == null) {
                        return false; // a JNA without this platform's library: its own search reports it
                    }
                    if (holds(file, e.getSize(), e.getCrc())) {
                        return true;
                    }
                    try (InputStream in = j.getInputStream(e)) {
                        write(file, in.readAllBytes());
                    }
                    return true;
                }
            }
            byte[] lib;
            try (InputStream in = Platform.class.getResourceAsStream("/" + entry)) {
                if (in == null) {
                    return false;
                }
                lib = in.readAllBytes();
            }
            if (!holds(file, lib.length, crc(lib))) {
                write(file, lib);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The jar JNA's classes come from, or null when they do not come from a local jar file. */
    private static Path jnaJar() {
        CodeSource cs = Platform.class.getProtectionDomain().getCodeSource();
        if (cs == null
                || cs.getLocation() == null
                || !"file".equals(cs.getLocation().getProtocol())) {
            return null;
        }
        try {
            Path p = Path.of(cs.getLocation().toURI());
            return Files.isRegularFile(p) ? p : null;
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean holds(Path file, long size, long crc) throws IOException {
        return size >= 0
                && crc >= 0
                && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                && Files.size(file) == size
                && crc(Files.readAllBytes(file)) == crc;
    }

    private static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b, 0, b.length);
        return c.getValue();
    }

    /**
     * A name of our own (no SecureRandom), then an atomic rename: concurrent starts each write a
     * whole copy, and whoever renames last wins with the same bytes.
     */
    private static void write(Path file, byte[] lib) throws IOException {
        Path tmp = file.resolveSibling(
                file.getFileName() + "." + ProcessHandle.current().pid() + "." + System.nanoTime());
        try {
            Files.write(tmp, lib);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** True when {@code dir} is a real directory that only its owner, this process's user, can write. */
    private static boolean privateTo(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
        if (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
            return false;
        }
        // /proc/self belongs to this process's effective user
        return Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS)
                .equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }
}
