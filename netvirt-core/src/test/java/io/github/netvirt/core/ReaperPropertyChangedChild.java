package io.github.netvirt.core;

import java.util.concurrent.TimeUnit;

/**
 * Applies an ephemeral topology with the reaper on, then sets {@link Reaper#PROPERTY} to its first
 * argument and tries {@code reapInBackground()} and a second apply, printing what each did.
 */
public final class ReaperPropertyChangedChild {
    private ReaperPropertyChangedChild() {}

    public static void main(String[] args) throws Exception {
        try (Topology t = Topology.create().ephemeral().ns("x").apply()) {
            Topology.reapInBackground().get(60, TimeUnit.SECONDS);
        }
        System.setProperty(Reaper.PROPERTY, args[0]);
        try {
            Topology.reapInBackground();
            System.out.println("reapInBackground returned");
        } catch (IllegalArgumentException e) {
            System.out.println("reapInBackground refused: " + e.getMessage());
        }
        try (Topology t = Topology.create().ephemeral().ns("y").apply()) {
            System.out.println("apply returned");
        } catch (IllegalArgumentException e) {
            System.out.println("apply refused: " + e.getMessage());
        }
    }
}
