package io.github.netvirt.netns;

/** Run inside bin/netvirt-run by {@link SandboxTest}: prints what netvirt sees there. */
public final class SandboxProbe {
    private SandboxProbe() {}

    public static void main(String[] args) {
        System.out.println("sandbox: " + Sandbox.current());
        try (NetNamespace root = NetNamespace.root()) {
            System.out.println("root: " + root);
        }
        NetNamespace named = NetNamespace.create(args[0]);
        System.out.println("named: " + NetNamespace.list());
        named.delete();
        System.out.println("after delete: " + NetNamespace.list());
    }
}
