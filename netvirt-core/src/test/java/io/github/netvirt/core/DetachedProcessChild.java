package io.github.netvirt.core;

import java.lang.ProcessBuilder.Redirect;

/**
 * Applies the seed topology with {@code PREFIX}, starts {@code sleep 300} detached in net0, prints its
 * pid, detaches and exits: {@code DetachedProcessChild PREFIX}.
 */
public final class DetachedProcessChild {
    private DetachedProcessChild() {}

    public static void main(String[] args) throws Exception {
        Topology t = Seeds.seed().prefix(args[0]).apply();
        Process p = t.namespace("net0")
                .startDetached(new ProcessBuilder("sleep", "300")
                        .redirectInput(Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(Redirect.DISCARD)
                        .redirectError(Redirect.DISCARD));
        t.detach();
        System.out.println("pid " + p.pid());
    }
}
