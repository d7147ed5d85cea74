package io.github.netvirt.core;

import io.github.netvirt.netns.testing.NoUnnamedFiles;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A JVM whose kernel makes no unnamed file ({@link NoUnnamedFiles}) that applies the seed topology
 * under {@code PREFIX} ({@code NoUnnamedFilesApplyChild PREFIX}), prints {@code applied}, and closes
 * it when its stdin says {@code close} ({@code closed}).
 */
public final class NoUnnamedFilesApplyChild {
    private NoUnnamedFilesApplyChild() {}

    public static void main(String[] args) throws Exception {
        NoUnnamedFiles.install();
        try (Topology t = Topology.create()
                .prefix(args[0])
                .ns("bridge")
                .bridge("br")
                .ns("net0")
                .veth("eth0", "bridge", "p0")
                .addr("10.214.0.1/24")
                .ns("net1")
                .veth("eth0", "bridge", "p1")
                .addr("10.214.0.2/24")
                .ns("bridge")
                .dev("p0")
                .master("br")
                .dev("p1")
                .master("br")
                .apply()) {
            System.out.println("applied");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null && !line.equals("close"); ) {}
        }
        System.out.println("closed");
    }
}
