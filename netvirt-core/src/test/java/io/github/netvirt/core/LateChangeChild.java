package io.github.netvirt.core;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A JVM that applies the seed ({@code LateChangeChild PREFIX}), prints "applied", and on a line from
 * its stdin changes it (adding net2), prints "changed" and waits to be killed.
 */
public final class LateChangeChild {
    private LateChangeChild() {}

    public static void main(String[] args) throws Exception {
        Topology t = Seeds.seed().prefix(args[0]).apply();
        System.out.println("applied");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        LiveChangeTest.addNet2(t).apply();
        System.out.println("changed");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
