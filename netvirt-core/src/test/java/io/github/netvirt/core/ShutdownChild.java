package io.github.netvirt.core;

import java.util.concurrent.CancellationException;

/**
 * A JVM that applies a named star topology once ({@code ShutdownChild PREFIX HOSTS}), then holds it
 * until it is stopped; for a test that sends it SIGTERM while the apply runs.
 */
public final class ShutdownChild {
    private ShutdownChild() {}

    public static void main(String[] args) {
        TopologyBuilder b = CrashChild.star(false, args[0], Integer.parseInt(args[1]), null);
        System.out.println("applying");
        System.out.flush();
        try {
            Topology t = b.apply();
            System.out.println("applied " + t);
        } catch (CancellationException e) {
            System.out.println("cancelled: " + e.getMessage());
        }
        System.out.flush();
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // the cancelled apply's interrupt, still set: wait on for the end of the shutdown
            }
        }
    }
}
