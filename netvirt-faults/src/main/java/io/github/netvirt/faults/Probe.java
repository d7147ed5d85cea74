package io.github.netvirt.faults;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * One probe from a host to an address and port: what came back, and how long it took.
 *
 * @param from   the probing host's name
 * @param target the target host's name, or its address when probed by address
 * @param detail what the kernel or the target said, or null
 */
public record Probe(
        String from, String target, InetSocketAddress to, Outcome outcome, Duration elapsed, String detail) {
    public Probe {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(elapsed, "elapsed");
    }

    @Override
    public String toString() {
        String addr = to.getAddress().getHostAddress() + ":" + to.getPort();
        return from + " -> " + (target.equals(to.getAddress().getHostAddress()) ? addr : target + " (" + addr + ")")
                + " " + outcome + " in " + elapsed.toMillis() + " ms" + (detail == null ? "" : ": " + detail);
    }
}
