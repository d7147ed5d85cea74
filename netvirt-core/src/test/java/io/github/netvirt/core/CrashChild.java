package io.github.netvirt.core;

/**
 * A JVM that applies and closes a star topology in a loop until it is killed:
 * {@code CrashChild named|ephemeral PREFIX HOSTS [ROOTPREFIX]}. With ROOTPREFIX each host's veth
 * has its peer in the root namespace (ROOTPREFIX + i), so a test can watch the kernel remove it.
 */
public final class CrashChild {
    private CrashChild() {}

    static TopologyBuilder star(boolean ephemeral, String prefix, int hosts, String rootPrefix) {
        TopologyBuilder b = Topology.create().prefix(prefix);
        if (ephemeral) {
            b.ephemeral();
        }
        b.ns("br").bridge("br");
        for (int i = 1; i <= hosts; i++) {
            b.ns("h" + i).veth("eth0", "br", "p" + i).addr("10.213.0." + i + "/24");
            if (rootPrefix != null) {
                b.veth("up0", Topology.ROOT, rootPrefix + i);
            }
            b.ns("br").dev("p" + i).master("br");
        }
        return b;
    }

    public static void main(String[] args) {
        boolean ephemeral = args[0].equals("ephemeral");
        TopologyBuilder b = star(ephemeral, args[1], Integer.parseInt(args[2]), args.length > 3 ? args[3] : null);
        for (int n = 0; ; n++) {
            System.out.println("applying " + n);
            System.out.flush();
            try (Topology t = b.apply()) {
                System.out.println("applied " + n + " in " + t.applyTime().toMillis() + " ms");
                System.out.flush();
            } catch (ApplyException e) {
                System.out.println("failed " + n + " " + e.errnoConstant());
                System.out.flush();
            }
        }
    }
}
