package io.github.netvirt.tap;

import io.github.netvirt.netns.NetNamespace;

/** Run inside bin/netvirt-run by {@link SandboxTapTest}: opens a TAP device, or says why it cannot. */
public final class SandboxTapProbe {
    private SandboxTapProbe() {}

    public static void main(String[] args) {
        try (NetNamespace ns = NetNamespace.ephemeral();
                TapDevice tap = TapDevice.tap("tp%d").open(ns)) {
            System.out.println("opened " + tap.name());
        } catch (TapException e) {
            System.out.println("failed: " + e.getMessage());
        }
    }
}
