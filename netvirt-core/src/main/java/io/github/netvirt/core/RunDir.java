package io.github.netvirt.core;

import com.sun.jna.LastErrorException;
import io.github.netvirt.netns.internal.Capabilities;
import io.github.netvirt.netns.internal.FileStat;
import io.github.netvirt.netns.internal.LibC;
import io.github.netvirt.netns.sys.Errno;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The directory of crash records: {@code /run/netvirt}, or the system property {@code netvirt.run.dir}
 * (read at each use). Everything in it is untrusted: a record is read only when the directory is a
 * real directory owned by the effective uid and writable by nobody else, and the record is a regular
 * file with one link, owned by the effective uid and writable by nobody else, named as netvirt names records, and at most
 * {@link #MAX_RECORD} bytes. Anything else is refused with a warning and left where it is.
 */
final class RunDir {
    static final String PROPERTY = "netvirt.run.dir";
    static final int MAX_RECORD = 1 << 20;
    private static final System.Logger LOG = System.getLogger(RunDir.class.getName());
    private static final Pattern RECORD_NAME = Pattern.compile("[0-9]{1,10}-[0-9]{1,20}-[0-9]{1,10}\\.topology");

    /** The last {@link #current()}: made again only when the property changes. */
    private static volatile RunDir last = new RunDir(Path.of("/run/netvirt"), "/run/netvirt");

    private final Path path;
    /** The property value {@link #current()} made this from (null: made from a path). */
    private final String configured;

    RunDir(Path path) {
        this(path, null);
    }

    private RunDir(Path path, String configured) {
        this.path = path;
        this.configured = configured;
    }

    /**
     * The directory this JVM uses now.
     *
     * @throws IllegalArgumentException if {@value #PROPERTY} is set to an empty or blank value
     */
    static RunDir current() {
        String dir = System.getProperty(PROPERTY, "/run/netvirt");
        if (dir.isBlank()) {
            throw new IllegalArgumentException("the system property " + PROPERTY + " is set to \"" + dir
                    + "\": give it a directory (-D" + PROPERTY + "=DIR), or leave it unset for /run/netvirt");
        }
        RunDir r = last;
        if (!dir.equals(r.configured)) {
            r = new RunDir(Path.of(dir), dir);
            last = r;
        }
        return r;
    }

    Path path() {
        return path;
    }

    @Override
    public String toString() {
        return path.toString();
    }

    static int euid() {
        return LibC.geteuid();
    }

    /**
     * Makes sure the directory exists, is 0700 and is ours, for writing a record: created 0700 when
     * missing, tightened to 0700 when ours and merely readable by others.
     *
     * @throws IllegalStateException when it is a symlink, not a directory, someone else's, or group-
     *     or world-writable (records written there could be replaced by someone else)
     * @throws UncheckedIOException when it cannot be created or made private (a read-only or full file
     *     system, no permission)
     */
    void prepareForWriting() {
        FileStat st = statOrNull();
        if (st == null) {
            try {
                Path parent = path.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                LibC.mkdir(LibC.path(path.toString()), 0700); // the umask cannot widen it
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EEXIST.code()) {
                    // an I/O failure (EROFS, ENOSPC, EACCES), as a record's: not a directory refused
                    String what =
                            Errno.message("cannot create the crash record directory " + path, e.getErrorCode(), null);
                    throw new UncheckedIOException(what, new IOException(what, e));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the crash record directory " + path + needsRoot(), e);
            }
            st = statOrNull();
        }
        String unsafe = unsafeReason(st);
        if (unsafe != null) {
            throw new IllegalStateException("refusing to write crash records in " + path + ": " + unsafe
                    + " (use a directory of your own with -D" + PROPERTY + "=DIR)" + needsRoot());
        }
        if ((st.permissions() & 077) != 0) {
            try {
                Files.setAttribute(path, "unix:mode", 0700, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make " + path + " private (0700)", e);
            }
        }
    }

    /**
     * The needs-root hint ({@link Capabilities#needsRootHint}) when this process lacks root's
     * capabilities, else nothing: a user who may not use the directory (root's {@code /run/netvirt})
     * could not build the network in another.
     */
    private static String needsRoot() {
        return Capabilities.held() ? "" : Capabilities.needsRootHint();
    }

    /** Null when the directory may be trusted, else why not. */
    String unsafeReason() {
        try {
            return unsafeReason(statOrNull());
        } catch (UncheckedIOException e) {
            return "cannot read its attributes: " + e.getCause();
        }
    }

    private String unsafeReason(FileStat st) {
        if (st == null) {
            return "it does not exist";
        }
        if (st.isSymbolicLink()) {
            return "it is a symbolic link";
        }
        if (!st.isDirectory()) {
            return "it is not a directory";
        }
        if (st.uid() != euid()) {
            return "it is owned by uid " + st.uid() + ", not by this process's effective uid " + euid();
        }
        if ((st.mode() & 022) != 0) {
            return String.format("it is group- or world-writable (mode %o)", st.permissions());
        }
        return null;
    }

    /** The directory's attributes (not following a link), or null when it does not exist. */
    private FileStat statOrNull() {
        try {
            return FileStat.of(path.toString(), false);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the attributes of " + path, e);
        }
    }

    /** A record file that passed the checks, with its content. */
    record RecordFile(Path path, List<String> lines, boolean tornLastLine) {}

    /**
     * The records that may be trusted, read. Refused ones are logged and added to {@code refused}
     * (one line each); a missing directory has no records.
     */
    List<RecordFile> records(List<String> refused) {
        List<RecordFile> out = new ArrayList<>();
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        String unsafe = unsafeReason();
        if (unsafe != null) {
            LOG.log(System.Logger.Level.WARNING, "netvirt crash record directory {0} refused: {1}", path, unsafe);
            refused.add("crash record directory " + path + " refused: " + unsafe);
            return out;
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(path, "*.topology")) {
            for (Path p : dir) {
                RecordFile r = read(p, refused);
                if (r != null) {
                    out.add(r);
                }
            }
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + path, e);
        }
        return out;
    }

    /** Reads one record after checking it; null (and a warning) when refused or gone. */
    RecordFile read(Path p, List<String> refused) {
        String name = p.getFileName().toString();
        if (!RECORD_NAME.matcher(name).matches()) {
            refuse(refused, p, "not a name netvirt gives records");
            return null;
        }
        try {
            FileStat a = FileStat.of(p.toString(), false);
            if (a.isSymbolicLink()) {
                refuse(refused, p, "a symbolic link");
                return null;
            }
            if (!a.isRegularFile()) {
                refuse(refused, p, "not a regular file");
                return null;
            }
            if (a.uid() != euid()) {
                refuse(refused, p, "owned by uid " + a.uid() + ", not by this process's effective uid " + euid());
                return null;
            }
            if (a.links() == 0) {
                // a stat by path can find the name and then read the inode after an unlink removed
                // its last link: the owner closed the record meanwhile, it is gone
                return null;
            }
            if (a.links() != 1) {
                refuse(refused, p, "has " + a.links() + " hard links");
                return null;
            }
            if ((a.permissions() & 022) != 0) {
                refuse(
                        refused,
                        p,
                        "writable by group or others (mode 0" + Integer.toOctalString(a.permissions()) + ")");
                return null;
            }
            if (a.size() > MAX_RECORD) {
                refuse(refused, p, a.size() + " bytes, more than a record can be (" + MAX_RECORD + ")");
                return null;
            }
            ByteBuffer b = ByteBuffer.allocate(MAX_RECORD + 1);
            try (SeekableByteChannel ch =
                    Files.newByteChannel(p, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
                while (b.hasRemaining() && ch.read(b) >= 0) {
                    // read all, up to the limit
                }
            }
            if (!b.hasRemaining()) {
                refuse(refused, p, "more than " + MAX_RECORD + " bytes");
                return null;
            }
            String text = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
            // the header is one write, a short one cut back (CrashRecord.begin): a record without a
            // complete line is empty, its owner killed before the header
            if (!text.isEmpty() && text.indexOf('\n') < 0) {
                refuse(
                        refused,
                        p,
                        b.position() + " bytes without a complete line (not a record netvirt writes: it is empty"
                                + " or begins with its header line)");
                return null;
            }
            boolean torn = !text.isEmpty() && !text.endsWith("\n");
            List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
            lines.remove(lines.size() - 1); // after the last '\n': empty, or a line cut short by a kill
            return new RecordFile(p, lines, torn);
        } catch (NoSuchFileException e) {
            return null; // removed meanwhile, e.g. by its owner's close()
        } catch (IOException e) {
            refuse(refused, p, "cannot be read: " + e);
            return null;
        }
    }

    private static void refuse(List<String> refused, Path p, String why) {
        LOG.log(System.Logger.Level.WARNING, "netvirt crash record {0} refused: {1}", p, why);
        refused.add("record " + p + " refused: " + why);
    }
}
