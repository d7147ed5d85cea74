package io.github.netvirt.bench.peer;

import io.github.netvirt.bench.WholeProcess;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * peers/go/main.go: the seed or the star through vishvananda/netlink and vishvananda/netns, one
 * process per up and per down, each timing itself in-process ({@link #selfTimedMillis()}), as the
 * issue's Go figures were measured. Built once per bench run when a Go toolchain is there.
 */
public final class GoPeer extends WholeProcess {
    /** What the go-netlink figures are, for the bench's output. */
    public static final String NOTE = "go-netlink: peers/go/main.go (vishvananda/netlink + netns), one process per up"
            + " and per down, each timed inside its process (the Go runtime's start not counted)";

    private static final Pattern TIME = Pattern.compile("^go (up|down)_ms=([0-9.]+)$", Pattern.MULTILINE);
    private static final Pattern CPU = Pattern.compile("^go (up|down)_cpu_ms=([0-9.]+)$", Pattern.MULTILINE);
    private static Path binary;
    private static String unavailable;
    private final String kind;
    private final List<String> sizes;
    private final String prefix;
    private double last = Double.NaN;
    private double lastCpu = Double.NaN;

    private GoPeer(String prefix, String kind, String... sizes) {
        super("go-netlink");
        this.prefix = prefix;
        this.kind = kind;
        this.sizes = List.of(sizes);
    }

    public static GoPeer seed(String prefix) {
        return new GoPeer(prefix, "seed");
    }

    public static GoPeer star(String prefix, int n) {
        return new GoPeer(prefix, "star", Integer.toString(n));
    }

    /**
     * Builds the peer if needed: null when it is there, else why not ("no go toolchain", or the build's
     * error), for a "# go skipped: ..." note.
     */
    public static synchronized String unavailable() {
        if (binary == null && unavailable == null) {
            build();
        }
        return unavailable;
    }

    private static void build() {
        Path go = onPath("go");
        if (go == null) {
            unavailable = "no go toolchain (go is not on PATH)";
            return;
        }
        Path src = Peers.file("go/main.go");
        Path out = src.resolveSibling("go-peer");
        // Debian's golang-github-vishvananda-netlink-dev and -netns-dev: GOPATH mode, offline
        String gopath = System.getenv().getOrDefault("NETVIRT_BENCH_GOPATH", "/usr/share/gocode");
        try {
            Script.pipe(
                    Map.of("GO111MODULE", "off", "GOPATH", gopath),
                    null,
                    go.toString(),
                    "build",
                    "-o",
                    out.toString(),
                    src.toString());
            binary = out;
        } catch (IOException e) {
            unavailable = "the build failed (GOPATH=" + gopath + "; Debian: apt-get install golang-go"
                    + " golang-github-vishvananda-netlink-dev golang-github-vishvananda-netns-dev): "
                    + e.getMessage().replace('\n', ' ');
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable = "interrupted while building";
        }
    }

    private static Path onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    @Override
    public double selfTimedMillis() {
        return last;
    }

    @Override
    public double selfCpuMillis() {
        return lastCpu;
    }

    @Override
    public void up() throws Exception {
        last = run("up");
    }

    @Override
    public void down() throws Exception {
        last = run("down");
    }

    private double run(String what) throws IOException, InterruptedException {
        last = Double.NaN;
        List<String> cmd = command(what);
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        Matcher m = TIME.matcher(out);
        if (rc != 0 || !m.find() || !m.group(1).equals(what)) {
            throw new IOException(String.join(" ", cmd) + " exited " + rc + ": " + out.strip());
        }
        Matcher c = CPU.matcher(out);
        lastCpu = c.find() ? Double.parseDouble(c.group(2)) : Double.NaN;
        return Double.parseDouble(m.group(2));
    }

    private List<String> command(String what) {
        if (binary == null) {
            throw new IllegalStateException("go peer not built: " + unavailable());
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.add(kind);
        cmd.add(what);
        cmd.addAll(sizes);
        cmd.add(prefix);
        return cmd;
    }

    @Override
    public void cleanup() {
        // the prefix is ours alone: every namespace under it is one the peer made
        for (String ns : Script.netnsStartingWith(prefix)) {
            Script.quietly(Map.of(), null, "ip", "netns", "del", ns);
        }
    }
}
