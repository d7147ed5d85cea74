package io.github.netvirt.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a live topology created that would outlive its JVM (named namespaces, devices in the root
 * namespace), written under {@code /run/netvirt} as it happens: an intent line before each object is
 * made, a line with its kernel identity (namespace inode, ifindex) once it exists. A crashed owner's
 * objects are removed by {@link Cleaner} only where the identity still matches, so a namespace or
 * device of the same name made by someone else is never touched. Each line is one {@code write}:
 * a {@code kill -9} loses nothing already written.
 */
final class CrashRecord implements AutoCloseable {
    static final Path DIR = Path.of(System.getProperty("netvirt.run.dir", "/run/netvirt"));
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final Path path;
    private FileChannel out;

    private CrashRecord(Path path, FileChannel out) {
        this.path = path;
        this.out = out;
    }

    /** Starts a record for this process. */
    static CrashRecord begin(String description) {
        try {
            Files.createDirectories(DIR);
            long pid = ProcessHandle.current().pid();
            String start = Owner.startTime(pid);
            Path p = DIR.resolve(pid + "-" + start + "-" + SEQ.incrementAndGet() + ".topology");
            FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            CrashRecord r = new CrashRecord(p, ch);
            r.line("owner " + pid + " " + start);
            r.line("topology " + description.replace('\n', ' '));
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the crash record under " + DIR, e);
        }
    }

    Path path() {
        return path;
    }

    /** Written before the name exists: the namespace (inode) is made first, named second. */
    void nsCreated(String name, long inode) {
        line("ns " + inode + " " + escape(name));
    }

    void linkIntent(String name) {
        line("link-intent " + name);
    }

    void linkCreated(String name, int ifindex) {
        line("link " + ifindex + " " + name);
    }

    /** Marks the topology as deliberately left running: {@link Cleaner#cleanup()} leaves it alone. */
    void kept() {
        line("kept");
        release();
    }

    synchronized void line(String s) {
        if (out == null) {
            throw new IllegalStateException("crash record " + path + " is closed");
        }
        try {
            ByteBuffer b = ByteBuffer.wrap((s + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                out.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the crash record " + path, e);
        }
    }

    private synchronized void release() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // nothing to do
            }
            out = null;
        }
    }

    /** Everything recorded is gone: the record goes too. */
    @Override
    public void close() {
        release();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the crash record " + path, e);
        }
    }

    /** Namespace names are file names: no newline or '/' can occur; escape the backslash and spaces anyway. */
    static String escape(String s) {
        return s.replace("\\", "\\\\").replace(" ", "\\s");
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 's' ? ' ' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** A record read back from disk. */
    record Ns(long inode, String name) {
    }

    record RootLink(int ifindex, String name) {
    }

    record Entry(Path path, long pid, String startTime, boolean kept, String topology,
                 List<Ns> namespaces, List<String> linkIntents, List<RootLink> links) {

        boolean ownerAlive() {
            return startTime.equals(Owner.startTimeOrNull(pid));
        }
    }

    static List<Entry> readAll() {
        List<Entry> out = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(DIR, "*.topology")) {
            for (Path p : dir) {
                Entry e = read(p);
                if (e != null) {
                    out.add(e);
                }
            }
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DIR, e);
        }
        return out;
    }

    static Entry read(Path p) {
        List<String> lines;
        try {
            lines = Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
        long pid = -1;
        String start = "";
        boolean kept = false;
        String topology = "";
        List<Ns> ns = new ArrayList<>();
        List<String> linkIntents = new ArrayList<>();
        List<RootLink> links = new ArrayList<>();
        for (String l : lines) {
            String[] f = l.split(" ", 3);
            try {
                switch (f[0]) {
                    case "owner":
                        pid = Long.parseLong(f[1]);
                        start = f[2];
                        break;
                    case "topology":
                        topology = l.substring(9);
                        break;
                    case "kept":
                        kept = true;
                        break;
                    case "ns":
                        ns.add(new Ns(Long.parseLong(f[1]), unescape(f[2])));
                        break;
                    case "link-intent":
                        linkIntents.add(f[1]);
                        break;
                    case "link":
                        links.add(new RootLink(Integer.parseInt(f[1]), f[2]));
                        break;
                    default:
                        break; // a torn last line: ignore
                }
            } catch (RuntimeException torn) {
                // a line cut short by a crash
            }
        }
        if (pid < 0) {
            // killed before the first line: the owner is in the file name, and nothing was made yet
            String[] f = p.getFileName().toString().split("-");
            try {
                pid = Long.parseLong(f[0]);
                start = f[1];
            } catch (RuntimeException e) {
                return null;
            }
        }
        return new Entry(p, pid, start, kept, topology, ns, linkIntents, links);
    }
}
