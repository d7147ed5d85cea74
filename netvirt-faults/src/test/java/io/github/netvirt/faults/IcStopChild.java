package io.github.netvirt.faults;

import io.github.netvirt.core.Topology;
import io.github.netvirt.core.TopologyBuilder;
import io.github.netvirt.faults.impair.Endpoint;
import io.github.netvirt.faults.impair.ImpairedLink;
import io.github.netvirt.tap.impair.Impairment;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A user program stopped by a signal or System.exit: {@code IcStopChild MODE PREFIX ADOPTED EXIT_MS USERHOOK HOSTS}.
 * MODE: loop (apply/close), change (live changes), procs (processes inside), fault (faults on and off).
 * EXIT_MS >= 0: a thread of its own calls System.exit(3) after that many ms. USERHOOK true: a hook of
 * its own closes the topology (the README's advice). Prints the phase it is in.
 */
public final class IcStopChild {
    static volatile String phase = "start";
    static volatile Topology current;

    private IcStopChild() {}

    static void phase(String p) {
        phase = p;
        System.out.println("phase " + p);
        System.out.flush();
    }

    static TopologyBuilder topology(String p, String adopted, int hosts) {
        TopologyBuilder b = Topology.create().prefix(p).adopt("c", adopted);
        b.ns("br").bridge("br");
        for (int i = 1; i <= hosts; i++) {
            b.ns("h" + i).veth("eth0", "br", "p" + i).addr("10.213.9." + i + "/24");
            b.ns("br").dev("p" + i).master("br");
        }
        b.ns("h1").veth("up0", Topology.ROOT, p + "r").addr("10.214.9.1/24");
        b.ns(Topology.ROOT).bridge(p + "rb");
        b.ns("h2").veth("ad0", "c", p + "ca").addr("10.215.9.1/24");
        b.ns("c").dev(p + "ca").addr("10.215.9.2/24");
        return b;
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String p = args[1];
        String adopted = args[2];
        long exitMs = Long.parseLong(args[3]);
        boolean userHook = Boolean.parseBoolean(args[4]);
        int hosts = Integer.parseInt(args[5]);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("hook sees phase " + phase);
            System.out.flush();
            Topology t = current;
            if (userHook && t != null) {
                try {
                    t.close();
                    System.out.println("hook closed");
                } catch (RuntimeException e) {
                    System.out.println("hook close failed " + e);
                }
                System.out.flush();
            }
        }));
        if (exitMs >= 0) {
            Thread x = new Thread(() -> {
                try {
                    Thread.sleep(exitMs);
                } catch (InterruptedException e) {
                    return;
                }
                System.out.println("exiting in phase " + phase);
                System.out.flush();
                System.exit(3);
            });
            x.setDaemon(true);
            x.start();
        }
        TopologyBuilder b = topology(p, adopted, hosts);
        System.out.println("ready");
        System.out.flush();
        switch (mode) {
            case "loop" -> {
                for (int n = 0; ; n++) {
                    phase("apply " + n);
                    Topology t = b.apply();
                    current = t;
                    phase("applied " + n + (Thread.currentThread().isInterrupted() ? " INTERRUPTED" : ""));
                    Thread.sleep(ThreadLocalRandom.current().nextInt(50));
                    phase("close " + n);
                    t.close();
                    current = null;
                    phase("closed " + n);
                }
            }
            case "change" -> {
                phase("apply");
                Topology t = b.apply();
                current = t;
                for (int n = 0; ; n++) {
                    phase("change-add " + n);
                    t.change()
                            .ns("x")
                            .veth("e0", "br", "px")
                            .addr("10.213.9.200/24")
                            .ns("br")
                            .dev("px")
                            .master("br")
                            .ns("x")
                            .veth("up1", Topology.ROOT, p + "xr")
                            .ns("x")
                            .veth("ad1", "c", p + "xa")
                            .ns(Topology.ROOT)
                            .bridge(p + "xb")
                            .apply();
                    phase("change-remove " + n);
                    t.change()
                            .removeNamespace("x")
                            .ns(Topology.ROOT)
                            .removeDevice(p + "xb")
                            .apply();
                    phase("changed " + n);
                }
            }
            case "procs" -> {
                phase("apply");
                Topology t = b.apply();
                current = t;
                for (int n = 0; ; n++) {
                    phase("start " + n);
                    for (String ns : List.of("h1", "h2", "br")) {
                        ProcessBuilder pb = new ProcessBuilder("sleep", "1000");
                        pb.environment().put("NETVIRT_IC", p);
                        t.namespace(ns).start(pb);
                        ProcessBuilder sh = new ProcessBuilder("sh", "-c", "sleep 1002 & exec sleep 1001");
                        sh.environment().put("NETVIRT_IC", p);
                        t.namespace(ns).start(sh);
                    }
                    phase("started " + n);
                    Thread.sleep(200);
                    phase("end " + n);
                    for (String ns : List.of("h1", "h2", "br")) {
                        io.github.netvirt.netns.NetNamespace.endProcesses(
                                t.namespace(ns).processes());
                    }
                    phase("ended " + n);
                }
            }
            case "fault" -> {
                phase("apply");
                Topology t = b.apply();
                current = t;
                var c = t.namespace("c");
                var root = t.namespace(Topology.ROOT);
                for (int n = 0; ; n++) {
                    List<AutoCloseable> on = new ArrayList<>();
                    phase("fault-on " + n);
                    on.add(RateLimit.of(10_000_000).on(c, "tg0"));
                    phase("fault-on-mirror " + n);
                    on.add(PortMirror.ingress(c, "tg0", "tg1"));
                    phase("fault-on-cut " + n);
                    on.add(LinkCut.cut(c, "tg1"));
                    phase("fault-on-root " + n);
                    on.add(RateLimit.of(20_000_000).on(root, p + "r"));
                    phase("fault-on-impaired " + n);
                    on.add(ImpairedLink.open(
                            Endpoint.of(t.namespace("h1"), "imp0", InetAddress.getByName("10.216.9.1"), 24),
                            Endpoint.of(c, "imp1", InetAddress.getByName("10.216.9.2"), 24),
                            Impairment.NONE.withDelay(Duration.ofMillis(5)),
                            7));
                    phase("fault-on-cut-own " + n);
                    on.add(LinkCut.cut(c, p + "ca"));
                    phase("faults " + n);
                    Thread.sleep(ThreadLocalRandom.current().nextInt(100));
                    phase("heal " + n);
                    for (int i = on.size() - 1; i >= 0; i--) {
                        on.get(i).close();
                    }
                    phase("healed " + n);
                }
            }
            default -> throw new IllegalArgumentException(mode);
        }
    }
}
