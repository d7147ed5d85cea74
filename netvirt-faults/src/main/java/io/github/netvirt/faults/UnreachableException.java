package io.github.netvirt.faults;

/** {@link Reachability#awaitReachable} gave up: carries the last probe. */
public class UnreachableException extends RuntimeException {
    private final Probe lastProbe;

    public UnreachableException(String message, Probe lastProbe) {
        super(message);
        this.lastProbe = lastProbe;
    }

    public Probe lastProbe() {
        return lastProbe;
    }
}
