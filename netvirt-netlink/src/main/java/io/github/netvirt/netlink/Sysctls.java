package io.github.netvirt.netlink;

import io.github.netvirt.netns.Names;
import io.github.netvirt.netns.NetNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;

/**
 * Per-namespace network sysctls that topologies need, read and written through {@code /proc/sys/net}
 * on a thread inside the namespace ({@code /proc/sys/net} shows the reading thread's namespace;
 * {@code /sys/class/net} would not). A caller interrupted before the thread inside took the read or
 * write gets a {@link CancellationException} (nothing read or written) with its interrupt status set.
 */
public final class Sysctls {
    private final NetNamespace ns;

    private Sysctls(NetNamespace ns) {
        this.ns = ns;
    }

    public static Sysctls of(NetNamespace ns) {
        return new Sysctls(ns);
    }

    /** {@code net.ipv4.ip_forward}. */
    public boolean ipv4Forwarding() {
        return "1".equals(get("ipv4/ip_forward"));
    }

    public void ipv4Forwarding(boolean on) {
        set("ipv4/ip_forward", on ? "1" : "0");
    }

    /** {@code net.ipv6.conf.all.forwarding}. */
    public boolean ipv6Forwarding() {
        return "1".equals(get("ipv6/conf/all/forwarding"));
    }

    public void ipv6Forwarding(boolean on) {
        set("ipv6/conf/all/forwarding", on ? "1" : "0");
    }

    /** {@code net.ipv6.conf.LINK.disable_ipv6}. */
    public boolean ipv6Disabled(String link) {
        return "1".equals(get("ipv6/conf/" + Names.checkInterface(link) + "/disable_ipv6"));
    }

    public void ipv6Disabled(String link, boolean disabled) {
        set("ipv6/conf/" + Names.checkInterface(link) + "/disable_ipv6", disabled ? "1" : "0");
    }

    /**
     * Whether deleting a primary IPv4 address of {@code link} promotes one of its secondaries in its
     * place instead of deleting them with it: {@code net.ipv4.conf.all.promote_secondaries} or
     * {@code net.ipv4.conf.LINK.promote_secondaries} (the kernel takes either). A new namespace copies
     * IPv4's {@code all} and {@code default} from the root namespace's (unless
     * {@code net.core.devconf_inherit_init_net} says otherwise), where systemd turns them on.
     */
    public boolean promoteSecondaries(String link) {
        return !"0".equals(get("ipv4/conf/all/promote_secondaries"))
                || !"0".equals(get("ipv4/conf/" + Names.checkInterface(link) + "/promote_secondaries"));
    }

    /**
     * The longest the kernel's duplicate address detection of an IPv6 address on {@code link} can
     * take: a random delay of up to {@code net.ipv6.conf.LINK.router_solicitation_delay} (seconds)
     * before the first probe, then {@code dad_transmits} probes {@code net.ipv6.neigh.LINK.retrans_time_ms}
     * apart (1 s and 1 x 1 s by default). Read in one hand-off.
     */
    public Duration dadTime(String link) {
        Names.checkInterface(link);
        Path delay = path("ipv6/conf/" + link + "/router_solicitation_delay");
        Path transmits = path("ipv6/conf/" + link + "/dad_transmits");
        Path retrans = path("ipv6/neigh/" + link + "/retrans_time_ms");
        return inside(
                () -> Duration.ofSeconds(Math.max(0, number(delay)))
                        .plusMillis(Math.max(0, number(transmits)) * Math.max(0, number(retrans))),
                "read the DAD settings of " + link);
    }

    private static long number(Path p) throws IOException {
        return Long.parseLong(Files.readString(p, StandardCharsets.US_ASCII).trim());
    }

    /** Reads {@code /proc/sys/net/KEY} (e.g. {@code ipv4/conf/all/rp_filter}) inside the namespace. */
    public String get(String key) {
        Path p = path(key);
        return inside(() -> Files.readString(p, StandardCharsets.US_ASCII).trim(), "read " + p);
    }

    /** Writes {@code /proc/sys/net/KEY} inside the namespace. */
    public void set(String key, String value) {
        if (value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("sysctl value contains a newline");
        }
        Path p = path(key);
        inside(() -> Files.write(p, (value + "\n").getBytes(StandardCharsets.US_ASCII)), "write " + p);
    }

    private static Path path(String key) {
        if (key.isEmpty() || key.startsWith("/") || key.contains("..") || key.contains("\0")) {
            throw new IllegalArgumentException("bad sysctl key \"" + key + "\"");
        }
        return Path.of("/proc/sys/net", key);
    }

    private <T> T inside(Callable<T> task, String what) {
        try {
            return ns.call(task);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot " + what + " in " + ns, e);
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw (CancellationException)
                    new CancellationException("interrupted before it could " + what + " in " + ns).initCause(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot " + what + " in " + ns, e);
        }
    }
}
