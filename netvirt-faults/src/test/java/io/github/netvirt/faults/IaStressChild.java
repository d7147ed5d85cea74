package io.github.netvirt.faults;

import io.github.netvirt.core.Topology;
import io.github.netvirt.core.TopologyBuilder;
import io.github.netvirt.netlink.Filter;
import io.github.netvirt.netlink.Link;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.Qdisc;
import io.github.netvirt.netns.NetNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A JVM that applies, verifies, holds, verifies again and closes a topology in a loop until it is
 * killed: {@code IaStressChild PREFIX ADOPTED MODE TOKEN}. MODE bits: 1 a veth end and a bridge in the
 * root namespace, 2 a veth into the adopted namespace {@code ADOPTED} with a RateLimit or a PortMirror
 * (or both) on its end there, 4 a {@code sleep} started in namespace a (its environment carries
 * {@code NETVIRT_IA=TOKEN}). Prints {@code OK n} after each cycle verified twice, {@code FAIL n ...}
 * when what it applied changed while it held it, {@code ERR n ...} when a call threw.
 */
public final class IaStressChild {
    private IaStressChild() {}

    public static void main(String[] args) throws Exception {
        String p = args[0];
        String adopted = args[1];
        int mode = Integer.parseInt(args[2]);
        String token = args[3];
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (long n = 1; ; n++) {
            Topology t = null;
            try {
                TopologyBuilder b = Topology.create().prefix(p + "-");
                b.ns("b");
                b.ns("a").veth("e0", "b", "e0").bridge("br0").dev("e0").master("br0");
                b.ns("a").veth("e1", "b", "e1").dev("e1").master("br0");
                if ((mode & 1) != 0) {
                    b.ns("a").veth("up0", Topology.ROOT, p + "r0");
                    b.root().bridge(p + "rb");
                    b.root().dev(p + "r0").master(p + "rb");
                }
                if ((mode & 2) != 0) {
                    b.adopt("app", adopted);
                    b.ns("a").veth("ad0", "app", p + "d0");
                }
                t = b.apply();
                int fault = (mode & 2) == 0 ? 0 : 1 + rnd.nextInt(3);
                if ((fault & 1) != 0) {
                    RateLimit.of(10_000_000).on(t.namespace("app"), p + "d0");
                }
                if ((fault & 2) != 0) {
                    PortMirror.ingress(t.namespace("app"), p + "d0", "lo");
                }
                Process sleep = null;
                if ((mode & 4) != 0) {
                    ProcessBuilder pb = new ProcessBuilder("sleep", "100000");
                    pb.environment().put("NETVIRT_IA", token);
                    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
                    sleep = t.namespace("a").start(pb);
                }
                String first = facts(t, p, mode, fault, sleep);
                String missing = expected(first, p, mode, fault);
                if (missing != null) {
                    System.out.println("FAIL " + n + " just applied, missing " + missing + ": " + first);
                }
                Thread.sleep(rnd.nextInt(301));
                String second = facts(t, p, mode, fault, sleep);
                if (!second.equals(first)) {
                    System.out.println("FAIL " + n + " changed while held: " + first + " -> " + second);
                }
                Thread.sleep(rnd.nextInt(50));
                String third = facts(t, p, mode, fault, sleep);
                if (!third.equals(first)) {
                    System.out.println("FAIL " + n + " changed before close: " + first + " -> " + third);
                }
                t.close();
                t = null;
                System.out.println("OK " + n);
            } catch (Throwable e) {
                StringBuilder s = new StringBuilder("ERR " + n + " " + e);
                for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                    s.append(" / caused by ").append(c);
                }
                StackTraceElement[] st = e.getStackTrace();
                for (int i = 0; i < Math.min(6, st.length); i++) {
                    s.append(" @ ").append(st[i]);
                }
                System.out.println(s.toString().replace('\n', ' '));
                if (t != null) {
                    try {
                        t.close();
                    } catch (Throwable c) {
                        System.out.println(("ERR " + n + " close after error: " + c).replace('\n', ' '));
                    }
                }
                Thread.sleep(200);
            }
            System.out.flush();
        }
    }

    /** The marks that must be there, null when all are. */
    private static String expected(String facts, String p, int mode, int fault) {
        List<String> need = new ArrayList<>(List.of("a:e0", "a:e1", "a:br0", "b:e0", "b:e1"));
        if ((mode & 1) != 0) {
            need.addAll(List.of("a:up0", "root:" + p + "r0", "root:" + p + "rb"));
        }
        if ((mode & 2) != 0) {
            need.addAll(List.of("a:ad0", "app:" + p + "d0"));
        }
        if ((fault & 1) != 0) {
            need.add("qdisc-root:");
        }
        if ((fault & 2) != 0) {
            need.add("qdisc-ingress:");
            need.add("filter:");
        }
        if ((mode & 4) != 0) {
            need.add("sleep=true");
        }
        List<String> missing = need.stream().filter(m -> !facts.contains(m)).toList();
        return missing.isEmpty() ? null : missing.toString();
    }

    /** What the kernel shows of the topology now: namespaces' inodes, devices by index, the faults' qdiscs and filters. */
    static String facts(Topology t, String p, int mode, int fault, Process sleep) throws Exception {
        TreeMap<String, String> m = new TreeMap<>();
        for (String ns : List.of("a", "b")) {
            NetNamespace h = t.namespace(ns);
            Path name = Path.of("/run/netns/" + p + "-" + ns);
            Object ino = Files.exists(name) ? Files.getAttribute(name, "unix:ino") : "gone";
            m.put("ns " + ns, "file " + ino + " handle " + h.inode());
            try (NetlinkHandle nl = NetlinkHandle.open(h)) {
                for (Link l : nl.linkList()) {
                    m.put(ns + ":" + l.name(), l.index() + " master " + l.masterIndex() + " up " + l.isUp());
                }
            }
        }
        if ((mode & 1) != 0) {
            try (NetNamespace root = NetNamespace.root();
                    NetlinkHandle nl = NetlinkHandle.open(root)) {
                for (String d : List.of(p + "r0", p + "rb")) {
                    m.put(
                            "root:" + d,
                            nl.linkGet(d)
                                    .map(l -> l.index() + " master " + l.masterIndex() + " group " + l.group())
                                    .orElse("gone"));
                }
            }
        }
        if ((mode & 2) != 0) {
            try (NetlinkHandle nl = NetlinkHandle.open(t.namespace("app"))) {
                Link d = nl.linkGet(p + "d0").orElse(null);
                m.put("app:" + p + "d0", d == null ? "gone" : d.index() + " group " + d.group());
                if (d != null) {
                    for (Qdisc q : nl.qdiscList(p + "d0")) {
                        if (q.parent() == 0xffffffff) {
                            m.put("qdisc-root:", q.kind() + " " + Integer.toHexString(q.handle()));
                        } else if (q.parent() == 0xfffffff1) {
                            m.put("qdisc-ingress:", q.kind() + " " + Integer.toHexString(q.handle()));
                        }
                    }
                    if ((fault & 2) != 0) {
                        for (Filter f : nl.filterList(d.index(), 0xffff0000)) {
                            m.merge(
                                    "filter:",
                                    f.kind() + " " + Integer.toHexString(f.handle()) + " prio " + f.priority(),
                                    (x, y) -> x + "," + y);
                        }
                    }
                }
            }
        }
        if (sleep != null) {
            m.put("sleep=" + sleep.isAlive(), String.valueOf(sleep.pid()));
        }
        return m.toString();
    }
}
