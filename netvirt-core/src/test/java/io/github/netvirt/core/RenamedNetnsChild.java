package io.github.netvirt.core;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A JVM that applies and closes a topology with root devices, says "applied", waits for a line on
 * stdin (meanwhile its namespace is named anew), then dies (as by {@code kill -9}) right after the
 * kernel made the root devices of a second one: {@code RenamedNetnsChild HOST}.
 */
public final class RenamedNetnsChild {
    private RenamedNetnsChild() {}

    public static void main(String[] args) throws Exception {
        try (Topology t = RootDeviceTest.rootOnly(args[0] + "0").apply()) {
            System.out.println("applied");
        }
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        RootDeviceTest.rootOnly(args[0]).apply(new ApplyOptions(-1, ApplyOptions.Fault.HALT_AFTER_ROOT_DEVICES));
        System.out.println("not halted");
    }
}
