package io.github.netvirt.netlink;

import io.github.netvirt.netns.Names;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.Uninterrupted;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Per-namespace network sysctls that topologies need, read and written through {@code /proc/sys/net}
 * on a thread inside the namespace ({@code /proc/sys/net} shows the reading thread's namespace;
 * {@code /sys/class/net} would not). A caller interrupted before the thread inside took the read or
 * write gets a {@link CancellationException} (nothing read or written) with its interrupt status set.
 */
public final class Sysctls {
    private static final byte[] ZERO = {'0', '\n'};
    private static final byte[] ONE = {'1', '\n'};
    private final NetNamespace ns;

    private Sysctls(NetNamespace ns) {
        this.ns = ns;
    }

    public static Sysctls of(NetNamespace ns) {
        return new Sysctls(Objects.requireNonNull(ns, "ns"));
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

    /**
     * Turns IPv4 and IPv6 forwarding on in one hand-off, writing nothing for a family whose forwarding
     * is on already. Before each write it puts into {@code overwritten} (a map keeping its order), by
     * {@code /proc/sys/net} key and in the order {@link #restore} needs, each value the kernel's
     * propagation of that write may change: a write of {@code ipv4/ip_forward} that changes it sets
     * {@code ipv4/conf/all}, {@code default} and every device's {@code forwarding} to it, and {@code
     * ipv4/conf/all/accept_redirects} to its opposite; a write of {@code ipv6/conf/all/forwarding},
     * even of the value there, sets {@code default}'s and every device's (measured on 6.18,
     * KERNEL-NOTES.md). A rollback hands {@code overwritten} to {@link #restore}.
     */
    public void forwardingOn(Map<String, String> overwritten) {
        inside(
                () -> {
                    forwardingOn(
                            "ipv4/ip_forward", "ipv4/conf", List.of("ipv4/conf/all/accept_redirects"), overwritten);
                    forwardingOn("ipv6/conf/all/forwarding", "ipv6/conf", List.of(), overwritten);
                    return null;
                },
                "turn forwarding on");
    }

    /**
     * On the thread inside: {@code global} to 1 unless it is, recording first what the write may
     * change: each {@code forwarding} under {@code conf}, then {@code others}.
     */
    private static void forwardingOn(String global, String conf, List<String> others, Map<String, String> overwritten)
            throws IOException {
        Path g = path(global);
        String was = read(g);
        if ("1".equals(was)) {
            return;
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put(global, was);
        List<String> devices;
        try (Stream<Path> ds = Files.list(path(conf))) {
            devices = ds.map(d -> d.getFileName().toString()).sorted().toList();
        }
        List<String> keys = new ArrayList<>();
        for (String d : devices) {
            keys.add(conf + "/" + d + "/forwarding");
        }
        keys.addAll(others);
        for (String k : keys) {
            try {
                values.putIfAbsent(k, read(path(k)));
            } catch (NoSuchFileException e) {
                // the device went meanwhile
            }
        }
        overwritten.putAll(values);
        Files.write(g, ONE);
    }

    /** {@code net.ipv6.conf.LINK.disable_ipv6}. */
    public boolean ipv6Disabled(String link) {
        return "1".equals(get("ipv6/conf/" + Names.checkInterface(link) + "/disable_ipv6"));
    }

    public void ipv6Disabled(String link, boolean disabled) {
        set("ipv6/conf/" + Names.checkInterface(link) + "/disable_ipv6", disabled ? "1" : "0");
    }

    /**
     * {@code net.ipv6.conf.LINK.disable_ipv6} of one device whatever renames happen meanwhile, where
     * others may rename devices and take their names: {@code name} answers the device's name now
     * (or throws), asked on the thread inside the namespace before and after the sysctl's file is
     * opened, and the value is written through that file only if both answers agree. A rename after
     * the open makes the write fail; the write is then tried again under the new name (up to 8 times).
     *
     * A device without IPv6 (its MTU below 1280) has it off already; turning it on there is refused.
     *
     * @throws IllegalStateException if the device was renamed during each of the tries, or has no
     *     IPv6 to turn on
     * @throws UncheckedIOException if the kernel refuses the write
     */
    public void ipv6Disabled(Supplier<String> name, boolean disabled) {
        byte[] value = {disabled ? (byte) '1' : (byte) '0', '\n'};
        inside(
                () -> {
                    for (int tries = 1; ; tries++) {
                        String before = Names.checkInterface(name.get());
                        Path p = path("ipv6/conf/" + before + "/disable_ipv6");
                        try (FileChannel f = FileChannel.open(p, StandardOpenOption.WRITE)) {
                            if (before.equals(name.get())) {
                                // the kernel registers a renamed device's sysctls anew: a write through
                                // a file opened before the rename fails (ENOENT), it never reaches the
                                // device that took the name
                                f.write(ByteBuffer.wrap(value));
                                return null;
                            }
                        } catch (NoSuchFileException e) {
                            if (before.equals(name.get())) {
                                // a device whose MTU is below IPv6's 1280 has no IPv6, settings and all
                                if (disabled) {
                                    return null;
                                }
                                throw new IllegalStateException(
                                        "device " + before + " in " + ns + " has no IPv6 (its MTU is below 1280?)", e);
                            }
                        } catch (IOException e) {
                            if (before.equals(name.get())) {
                                throw new UncheckedIOException("cannot write " + p + " in " + ns, e);
                            }
                        }
                        if (tries == 8) {
                            throw new IllegalStateException(
                                    "device " + before + " was renamed " + tries + " times while its IPv6 was set");
                        }
                    }
                },
                "set disable_ipv6");
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
                () -> dadTime(number(delay) * 1000, number(transmits), number(retrans)),
                "read the DAD settings of " + link);
    }

    /**
     * The most DAD takes: the delay before the first probe plus {@code transmits} probes of {@code
     * retransMillis} each (negative settings count as 0).
     */
    static Duration dadTime(long delayMillis, long transmits, long retransMillis) {
        return Duration.ofMillis(Math.max(0, delayMillis) + Math.max(0, transmits) * Math.max(0, retransMillis));
    }

    /**
     * {@code net.ipv6.conf.default.accept_dad} and each {@code net.ipv6.conf.LINK.accept_dad} of
     * {@code links}, read in one hand-off, by {@code /proc/sys/net} key (for {@link #restore}); a link
     * not there is left out.
     *
     * @throws IllegalArgumentException if one of {@code links} is not an interface name (nothing read)
     */
    public Map<String, String> acceptDad(Collection<String> links) {
        List<String> keys = acceptDadKeys(links);
        return inside(
                () -> {
                    Map<String, String> values = new LinkedHashMap<>();
                    for (String k : keys) {
                        try {
                            values.put(k, read(path(k)));
                        } catch (NoSuchFileException e) {
                            // the device went meanwhile
                        }
                    }
                    return values;
                },
                "read accept_dad");
    }

    /**
     * Turns IPv6 duplicate address detection off (or on) for the devices made after and for each of
     * {@code links}, in one hand-off: {@code net.ipv6.conf.default.accept_dad} and each
     * {@code net.ipv6.conf.LINK.accept_dad} to 0 (or 1, the kernel's default; {@code all} is 0 in a new
     * namespace, and DAD runs only where {@code all} or the device's is 1 or more), passing over a link
     * not there. The others there keep theirs ({@code lo}'s -1, say). A DAD already begun goes on.
     *
     * @throws IllegalArgumentException if one of {@code links} is not an interface name (nothing written)
     */
    public void ipv6Dad(Collection<String> links, boolean on) {
        List<String> keys = acceptDadKeys(links);
        inside(
                () -> {
                    for (String k : keys) {
                        try {
                            Files.write(path(k), on ? ONE : ZERO);
                        } catch (NoSuchFileException e) {
                            // the device went meanwhile
                        }
                    }
                    return null;
                },
                on ? "turn IPv6 DAD on" : "turn IPv6 DAD off");
    }

    /** The {@code accept_dad} keys of default and each of {@code links}, each link's name checked. */
    private static List<String> acceptDadKeys(Collection<String> links) {
        List<String> keys = new ArrayList<>(List.of("ipv6/conf/default/accept_dad"));
        for (String l : links) {
            keys.add("ipv6/conf/" + Names.checkInterface(l) + "/accept_dad");
        }
        return keys;
    }

    /**
     * Writes back the values {@code before} ({@code /proc/sys/net} keys, as {@link #acceptDad} and
     * {@link #forwardingOn} return them) in one hand-off, in their order, each only where the value
     * there now differs (a write may change others: those after it), passing over a device's that
     * went meanwhile.
     */
    public void restore(Map<String, String> before) {
        for (Map.Entry<String, String> e : before.entrySet()) {
            path(e.getKey());
            if (e.getValue().indexOf('\n') >= 0) {
                throw new IllegalArgumentException("sysctl value contains a newline");
            }
        }
        inside(
                () -> {
                    for (Map.Entry<String, String> e : before.entrySet()) {
                        try {
                            Path p = path(e.getKey());
                            if (!e.getValue().equals(read(p))) {
                                Files.write(p, (e.getValue() + "\n").getBytes(StandardCharsets.US_ASCII));
                            }
                        } catch (NoSuchFileException gone) {
                            // the device went meanwhile
                        }
                    }
                    return null;
                },
                "restore " + before.keySet());
    }

    private static long number(Path p) throws IOException {
        return Long.parseLong(read(p));
    }

    /**
     * The value in {@code p}, trimmed, read from offset 0 in one read: the kernel answers a read of a
     * number sysctl at any other offset with end of file, and {@code Files.readString} (a file of size
     * 0) reads one byte first, so it got 1 of retrans_time_ms's 1000.
     */
    private static String read(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return new String(in.readNBytes(4096), StandardCharsets.US_ASCII).trim();
        }
    }

    /** Reads {@code /proc/sys/net/KEY} (e.g. {@code ipv4/conf/all/rp_filter}) inside the namespace. */
    public String get(String key) {
        Path p = path(key);
        return inside(() -> read(p), "read " + p);
    }

    /** Writes {@code /proc/sys/net/KEY} inside the namespace. */
    public void set(String key, String value) {
        if (value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("sysctl value contains a newline");
        }
        Path p = path(key);
        inside(() -> Files.write(p, (value + "\n").getBytes(StandardCharsets.US_ASCII)), "write " + p);
    }

    /**
     * {@code /proc/sys/net/KEY}, for a key of parts separated by {@code /}, none of them empty,
     * {@code .} or {@code ..} (an interface name, as {@code a..b}, may have dots anywhere else).
     */
    private static Path path(String key) {
        if (key.contains("\0")
                || Arrays.stream(key.split("/", -1)).anyMatch(p -> p.isEmpty() || p.equals(".") || p.equals(".."))) {
            throw new IllegalArgumentException("bad sysctl key \"" + key + "\"");
        }
        return Path.of("/proc/sys/net", key);
    }

    private <T> T inside(Callable<T> task, String what) {
        try {
            return ns.call(task);
        } catch (IOException e) {
            CancellationException c = interrupted(e, what);
            throw c != null ? c : new UncheckedIOException("cannot " + what + " in " + ns, e);
        } catch (UncheckedIOException e) {
            CancellationException c = interrupted(e, what);
            throw c != null ? c : e;
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            throw Uninterrupted.cancellation("interrupted before it could " + what + " in " + ns, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot " + what + " in " + ns, e);
        }
    }

    /**
     * A cancellation, the caller's interrupt status set, when {@code e} is the caller's interrupt: {@link
     * NetNamespace#call} passes it on to the thread running the task, and the JDK's file channels (those
     * of {@code Files.write} too) close under a thread interrupted in them. The write may have been done. Null
     * for any other failure.
     */
    private CancellationException interrupted(Exception e, String what) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ClosedByInterruptException) {
                return Uninterrupted.cancellation(
                        "interrupted while it tried to " + what + " in " + ns + " (done or not)", e);
            }
        }
        return null; // not the caller's interrupt
    }
}
