package io.github.netvirt.core;

import io.github.netvirt.core.spec.Adoption;
import io.github.netvirt.netlink.Link;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.ProcPids;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Run as pid 1 of a pid namespace of its own with its own {@code /proc} (whose {@code ns_last_pid}
 * it may write without touching the machine's): adopts the namespace of a process by pid, applies
 * once, applies again and keeps that topology, ends the process and gives its pid to a process in {@code ip netns} namespace
 * {@code args[1]}, then applies the same description again, applies a plan made while the process
 * ran (as an apply whose pid is given to another between its validation and its first step) and
 * opens the adoption, and changes the kept topology. Prints what each did.
 */
public final class ReusedPidChild {
    private ReusedPidChild() {}

    public static void main(String[] args) throws Exception {
        String p = args[0];
        String stranger = args[1];
        Process victim = new ProcessBuilder("unshare", "--net", "sleep", "1000").start();
        Process other = null;
        Topology kept = null;
        try {
            long pid = victim.pid();
            awaitIn(pid, Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString(), false);
            TopologyBuilder b =
                    Topology.create().prefix(p).ephemeral().adoptPid("c", pid).bridge("gHbr");
            Adoption adoption = b.spec().namespace("c").adoption();
            try (Topology t = b.apply()) {
                System.out.println("first apply: " + t.link("c", "gHbr").name());
            }
            kept = b.apply(); // the same description again, kept while the process ends
            Plan planned = b.plan(); // validated while the process runs
            String startTime = ProcPids.startTime(pid);
            victim.destroyForcibly();
            victim.waitFor();
            other = reuse(pid, startTime, stranger);
            awaitIn(pid, "net:[" + Files.getAttribute(Path.of("/run/netns/" + stranger), "unix:ino") + "]", true);
            System.out.println("pid " + pid + " reused in " + stranger);
            try (Topology t = b.apply()) {
                System.out.println("applied again, " + stranger + " has " + links(stranger));
            } catch (RuntimeException e) {
                System.out.println("apply refused: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            try (Topology t = Applier.apply(planned, ApplyOptions.DEFAULT, null)) {
                System.out.println("planned applied, " + stranger + " has " + links(stranger));
            } catch (RuntimeException e) {
                System.out.println("planned refused: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            try (NetNamespace ns = adoption.open()) {
                System.out.println("opened");
            } catch (RuntimeException e) {
                System.out.println("open refused: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            // a change adds to the namespace the topology holds open, not to the process that has the pid now
            kept.change().ns("c").bridge("gHbr2").apply();
            try (NetlinkHandle h = NetlinkHandle.open(kept.namespace("c"))) {
                System.out.println("changed: c has "
                        + h.linkList().stream().map(Link::name).toList() + ", " + stranger + " has " + links(stranger));
            }
        } finally {
            if (kept != null) {
                kept.close();
            }
            victim.destroyForcibly().waitFor();
            if (other != null) {
                other.destroyForcibly().waitFor();
            }
        }
        System.out.println("done");
    }

    /**
     * Starts {@code sleep} in namespace {@code netns} as process {@code pid}: ns_last_pid (of this pid
     * namespace) set to the pid before it, the next process made takes it, unless a thread of this
     * JVM was made meanwhile (then again). One that started in the same clock tick as the process
     * that had the pid (start time {@code startTime}) would not be told apart: it is made again.
     */
    private static Process reuse(long pid, String startTime, String netns) throws Exception {
        for (int attempt = 0; attempt < 100; attempt++) {
            Files.writeString(Path.of("/proc/sys/kernel/ns_last_pid"), Long.toString(pid - 1));
            Process p = new ProcessBuilder("ip", "netns", "exec", netns, "sleep", "1000").start();
            if (p.pid() == pid && !startTime.equals(ProcPids.startTime(pid))) {
                return p;
            }
            p.destroyForcibly().waitFor();
            Thread.sleep(20);
        }
        throw new AssertionError("pid " + pid + " was not given again");
    }

    private static List<String> links(String netns) {
        try (NetNamespace ns = NetNamespace.open(netns);
                NetlinkHandle h = NetlinkHandle.open(ns)) {
            return h.linkList().stream().map(Link::name).toList();
        }
    }

    /** Waits until process {@code pid} runs sleep in namespace {@code ns} ({@code in}) or out of it. */
    private static void awaitIn(long pid, String ns, boolean in) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                String cmd = Files.readString(Path.of("/proc/" + pid + "/cmdline"));
                String now = Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net"))
                        .toString();
                if (cmd.startsWith("sleep") && now.equals(ns) == in) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            Thread.sleep(10);
        }
        throw new AssertionError("process " + pid + " is not " + (in ? "in " : "out of ") + ns);
    }
}
