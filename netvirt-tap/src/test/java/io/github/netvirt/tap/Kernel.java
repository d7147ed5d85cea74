package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.ExecResult;
import io.github.netvirt.netns.NetNamespace;

/** Test helpers that ask iproute2 (inside a namespace) what the kernel sees. Tests only. */
final class Kernel {
    private Kernel() {}

    /** Runs {@code ip args...} inside {@code ns}; fails the test on a non-zero exit. */
    static String ip(NetNamespace ns, String... args) throws Exception {
        ExecResult r = ipResult(ns, args);
        assertThat(r.exitCode())
                .as("ip %s: %s", String.join(" ", args), r.stderr())
                .isZero();
        return r.stdout();
    }

    static ExecResult ipResult(NetNamespace ns, String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "ip";
        System.arraycopy(args, 0, cmd, 1, args.length);
        return ns.exec(cmd);
    }

    /** {@code ip -d -j link show dev}: the device's JSON, details included. */
    static String link(NetNamespace ns, String dev) throws Exception {
        return ip(ns, "-d", "-j", "link", "show", "dev", dev);
    }

    static boolean exists(NetNamespace ns, String dev) throws Exception {
        return ipResult(ns, "link", "show", "dev", dev).exitCode() == 0;
    }
}
