package io.github.netvirt.core;

/**
 * The program run again after a kill: applies the named star topology of {@link HoldChild} once,
 * with the reaper on, and closes it: {@code ReapplyChild PREFIX HOSTS [ROOTPREFIX]}.
 */
public final class ReapplyChild {
    private ReapplyChild() {}

    public static void main(String[] args) {
        try (Topology t = CrashChild.star(false, args[0], Integer.parseInt(args[1]), args.length > 2 ? args[2] : null)
                .apply()) {
            System.out.println("applied " + t.spec().namespaces().size());
        }
    }
}
