package io.github.netvirt.faults;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The audit's harness (not a CI test): -Dic.audit=RUNS -Dic.modes=loop,change,... ; results in /tmp/iC-results.txt. */
class IcStopAuditTest {
    static final Path OUT = Path.of("/tmp/iC-results.txt");

    record R(int code, String out) {}

    static R sh(String... cmd) throws Exception {
        Process pr = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String o = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        pr.waitFor();
        return new R(pr.exitValue(), o);
    }

    static void log(String s) throws IOException {
        System.out.println(s);
        Files.writeString(OUT, s + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static ProcessBuilder child(Path runDir, Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.add("-Dnetvirt.run.dir=" + runDir);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true);
    }

    static String adoptedState(String ad) throws Exception {
        StringBuilder s = new StringBuilder();
        s.append(sh("ip", "-n", ad, "-br", "link").out());
        s.append(sh("ip", "-n", ad, "-br", "addr").out());
        s.append(sh("tc", "-n", ad, "qdisc", "show").out());
        for (String d : List.of("by0", "by1", "tg0", "tg1")) {
            s.append(sh("tc", "-n", ad, "filter", "show", "dev", d, "ingress").out());
        }
        s.append(sh("ip", "netns", "exec", ad, "nft", "list", "ruleset").out());
        return s.toString();
    }

    static final StringBuilder DETAIL = new StringBuilder();

    static List<String> markerProcs(String p) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> ps = Files.list(Path.of("/proc"))) {
            for (Path d :
                    ps.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String env = new String(Files.readAllBytes(d.resolve("environ")), StandardCharsets.UTF_8);
                    if (env.contains("NETVIRT_IC=" + p + "\0")) {
                        found.add(d.getFileName().toString());
                        String cmd = new String(Files.readAllBytes(d.resolve("cmdline")), StandardCharsets.UTF_8)
                                .replace('\0', ' ')
                                .trim();
                        String st = Files.readString(d.resolve("stat"));
                        String ppid = st.substring(st.lastIndexOf(')') + 2).split(" ")[1];
                        DETAIL.append(d.getFileName())
                                .append('/')
                                .append(ppid)
                                .append('/')
                                .append(cmd)
                                .append(", ");
                    }
                } catch (IOException e) {
                    // gone
                }
            }
        }
        return found;
    }

    static String leftovers(String p, String ad, String adBefore, Path runDir) throws Exception {
        StringBuilder s = new StringBuilder();
        for (String l : sh("ip", "netns", "list").out().split("\n")) {
            if (l.startsWith(p) && !l.startsWith(ad)) {
                s.append("netns:").append(l).append("; ");
            }
        }
        for (String l : sh("ip", "-br", "link").out().split("\n")) {
            if (l.contains(p)) {
                s.append("rootlink:").append(l.replaceAll("\\s+", " ")).append("; ");
            }
        }
        String now = adoptedState(ad);
        if (!now.equals(adBefore)) {
            List<String> b = List.of(adBefore.split("\n"));
            for (String l : now.split("\n")) {
                if (!b.contains(l)) {
                    s.append("adopted+:").append(l.replaceAll("\\s+", " ")).append("; ");
                }
            }
            List<String> n = List.of(now.split("\n"));
            for (String l : b) {
                if (!n.contains(l)) {
                    s.append("adopted-:").append(l.replaceAll("\\s+", " ")).append("; ");
                }
            }
        }
        DETAIL.setLength(0);
        List<String> procs = markerProcs(p);
        if (!procs.isEmpty()) {
            s.append("procs:").append(procs.size()).append(" [").append(DETAIL).append("]; ");
        }
        if (Files.isDirectory(runDir)) {
            try (Stream<Path> w = Files.walk(runDir)) {
                for (Path f : w.filter(Files::isRegularFile)
                        .filter(x -> !x.getFileName().toString().equals(".lock"))
                        .toList()) {
                    s.append("file:").append(runDir.relativize(f)).append("; ");
                }
            }
        }
        return s.toString();
    }

    @Test
    void stops() throws Exception {
        String runs = System.getProperty("ic.audit");
        assumeTrue(runs != null);
        int n = Integer.parseInt(runs);
        String[] modes =
                System.getProperty("ic.modes", "loop,change,procs,fault").split(",");
        String[] stops = System.getProperty("ic.stops", "TERM,INT,EXIT").split(",");
        boolean[] hooks = System.getProperty("ic.hooks", "false").equals("both")
                ? new boolean[] {false, true}
                : new boolean[] {Boolean.parseBoolean(System.getProperty("ic.hooks", "false"))};
        int maxDelay = Integer.getInteger("ic.maxDelay", 1500);
        int hosts = Integer.getInteger("ic.hosts", 6);
        Random rnd = new Random();
        int base = Integer.getInteger("ic.base", 0);
        for (int i = 0; i < n; i++) {
            String mode = modes[i % modes.length];
            String stop = stops[(i / modes.length) % stops.length];
            boolean hook = hooks[(i / (modes.length * stops.length)) % hooks.length];
            int delay = Integer.getInteger("ic.minDelay", 0) + rnd.nextInt(maxDelay);
            String p = "iC" + Integer.toString(1296 + rnd.nextInt(45000), 36) + "-";
            String ad = p + "ad";
            Path runDir = Path.of("/run/netvirt-iC-" + (base + i));
            sh("ip", "netns", "add", ad);
            sh("ip", "-n", ad, "link", "add", "by0", "type", "veth", "peer", "name", "by1");
            sh("ip", "-n", ad, "link", "set", "by0", "up");
            sh("ip", "-n", ad, "link", "set", "by1", "up");
            sh(
                    "tc", "-n", ad, "qdisc", "add", "dev", "by0", "root", "tbf", "rate", "1mbit", "burst", "10k",
                    "latency", "50ms");
            sh("tc", "-n", ad, "qdisc", "add", "dev", "by1", "ingress");
            sh(
                    "tc",
                    "-n",
                    ad,
                    "filter",
                    "add",
                    "dev",
                    "by1",
                    "parent",
                    "ffff:",
                    "protocol",
                    "all",
                    "prio",
                    "5",
                    "u32",
                    "match",
                    "u32",
                    "0",
                    "0",
                    "action",
                    "pass");
            sh("ip", "netns", "exec", ad, "nft", "add", "table", "inet", "icby");
            sh("ip", "-n", ad, "link", "add", "tg0", "type", "veth", "peer", "name", "tg1");
            sh("ip", "-n", ad, "link", "set", "tg0", "up");
            sh("ip", "-n", ad, "link", "set", "tg1", "up");
            sh("ip", "-n", ad, "addr", "add", "10.217.9.1/24", "dev", "tg1");
            Thread.sleep(50);
            String before = adoptedState(ad);
            Path log = Files.createTempFile("iC-child", ".log");
            long exitMs = stop.equals("EXIT") ? delay + 700 : -1;
            Process c = child(
                            runDir,
                            IcStopChild.class,
                            mode,
                            p,
                            ad,
                            Long.toString(exitMs),
                            Boolean.toString(hook),
                            Integer.toString(hosts))
                    .redirectOutput(log.toFile())
                    .start();
            String result;
            try {
                if (!stop.equals("EXIT")) {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (!Files.readString(log).contains("phase ") && c.isAlive() && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    Thread.sleep(delay);
                    sh("kill", "-" + stop, Long.toString(c.pid()));
                }
                boolean ended = c.waitFor(60, TimeUnit.SECONDS);
                String out = Files.readString(log);
                String lastPhase = "";
                String hookPhase = "";
                List<String> other = new ArrayList<>();
                for (String l : out.split("\n")) {
                    if (l.startsWith("phase ")) {
                        lastPhase = l.substring(6);
                    } else if (l.startsWith("hook sees phase ")) {
                        hookPhase = l.substring(16);
                    } else if (!l.isBlank() && !l.equals("ready")) {
                        other.add(l);
                    }
                }
                String left = leftovers(p, ad, before, runDir);
                R cl = sh(child(runDir, IcCleanupChild.class).command().toArray(String[]::new));
                String afterCleanup = leftovers(p, ad, before, runDir);
                result = String.format(
                        "RUN %d mode=%s stop=%s hook=%s delay=%d p=%s ended=%s exit=%s hookPhase=[%s] lastPhase=[%s]%n  LEFT: %s%n  CLEANUP: %s%n  AFTER: %s%n  OTHER: %s",
                        base + i,
                        mode,
                        stop,
                        hook,
                        delay,
                        p,
                        ended,
                        ended ? c.exitValue() : -1,
                        hookPhase,
                        lastPhase,
                        left,
                        cl.out()
                                .lines()
                                .filter(l ->
                                        l.startsWith("removed") || l.startsWith("leftAlone") || l.contains("Exception"))
                                .toList(),
                        afterCleanup,
                        other.size() > 12 ? other.subList(0, 12) : other);
            } finally {
                c.destroyForcibly();
                c.waitFor();
                for (String pid : markerProcs(p)) {
                    sh("kill", "-9", pid);
                }
                Thread.sleep(50);
                for (String l : sh("ip", "netns", "list").out().split("\n")) {
                    if (l.startsWith(p)) {
                        sh("ip", "netns", "del", l.split(" ")[0]);
                    }
                }
                for (String l : sh("ip", "-br", "link").out().split("\n")) {
                    if (l.startsWith(p)) {
                        sh("ip", "link", "del", l.split("[ @]")[0]);
                    }
                }
                if (Files.isDirectory(runDir)) {
                    try (Stream<Path> w = Files.walk(runDir)) {
                        for (Path f : w.sorted(Comparator.reverseOrder()).toList()) {
                            Files.delete(f);
                        }
                    }
                }
                Files.deleteIfExists(log);
            }
            log(result);
        }
    }
}
