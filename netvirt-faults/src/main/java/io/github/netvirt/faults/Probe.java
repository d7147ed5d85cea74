package io.github.netvirt.faults;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One probe from a host to an address and port: what came back, and how long it took.
 *
 * @param from   the probing host's name
 * @param target the target host's name, or its address when probed by address
 */
public record Probe(
        String from, String target, InetSocketAddress to, Outcome outcome, Duration elapsed, String detail) {
    @Override
    public String toString() {
        String addr = to.getAddress().getHostAddress() + ":" + to.getPort();
        return from + " -> " + (target.equals(to.getAddress().getHostAddress()) ? addr : target + " (" + addr + ")")
                + " " + outcome + " in " + elapsed.toMillis() + " ms" + (detail == null ? "" : ": " + detail);
    }
}
