package io.github.netvirt.faults;

import io.github.netvirt.netns.NetNamespace;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the {@code nft} command inside a namespace ({@link NetNamespace#start}, i.e. through
 * {@code nsenter}), feeding a script on its standard input. netvirt encodes rtnetlink itself but
 * not nftables' netlink protocol: packet filtering is the one place where netvirt-faults runs a
 * program, and it needs the {@code nftables} package installed.
 */
final class Nft {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static final String[] PATH = {"/usr/sbin/nft", "/sbin/nft", "/usr/bin/nft", "/bin/nft"};

    private Nft() {
    }

    /** A table name unique in this JVM, e.g. {@code netvirt_fault_3_12345}. */
    static String newTable() {
        return "netvirt_fault_" + TABLES.incrementAndGet() + "_" + ProcessHandle.current().pid();
    }

    static String binary() {
        for (String p : PATH) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        throw new IllegalStateException("partitions and one-way loss need the nft command (package nftables), "
                + "which is not installed: apt-get install nftables");
    }

    static void run(NetNamespace ns, String script) {
        String nft = binary();
        try {
            Process p = ns.start(new ProcessBuilder(nft, "-f", "-").redirectErrorStream(true));
            try (OutputStream in = p.getOutputStream()) {
                in.write(script.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("nft timed out in " + ns);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("nft failed in " + ns + " (exit " + p.exitValue() + "): " + out.trim()
                        + "\nscript:\n" + script);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run nft in " + ns + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running nft", e);
        }
    }
}
