package io.github.netvirt.core;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A JVM that applies, each time its stdin says {@code go PREFIX}, three namespaces joined as the seed
 * joins them, declared in the order its argument gives ({@code SameNamesChild bridge,net1,net0}),
 * and answers {@code won} or {@code lost MESSAGE}; {@code close} closes what it won ({@code closed}).
 */
public final class SameNamesChild {
    private SameNamesChild() {}

    public static void main(String[] args) throws Exception {
        String[] order = args[0].split(",");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Topology won = null;
        for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith("go ")) {
                TopologyBuilder b = Topology.create().prefix(line.substring(3));
                for (String ns : order) {
                    b = ns.equals("bridge") ? b.ns(ns).bridge("br") : b.ns(ns);
                }
                try {
                    won = b.apply();
                    System.out.println("won");
                } catch (ApplyException e) {
                    System.out.println("lost " + e.getMessage().replace('\n', ' '));
                }
            } else if (line.equals("close")) {
                if (won != null) {
                    won.close();
                    won = null;
                }
                System.out.println("closed");
            }
            System.out.flush();
        }
        if (won != null) {
            won.close();
        }
    }
}
