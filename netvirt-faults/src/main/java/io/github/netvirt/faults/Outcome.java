package io.github.netvirt.faults;

/** What a probe saw. {@link #answered()} is true when the target host itself answered. */
public enum Outcome {
    /** TCP handshake completed. */
    CONNECTED(true),
    /**
     * A SYN was answered by a SYN-ACK: a server listens. The handshake was not completed, so the
     * server's application never saw the probe ({@link Reachability#tcpSyn}).
     */
    LISTENING(true),
    /** TCP RST or ICMP port unreachable: the host is there, nothing listens on the port. */
    REFUSED(true),
    /** A UDP reply came back. */
    REPLIED(true),
    /** No answer within the timeout (dropped somewhere, or a partition). */
    TIMEOUT(false),
    /** The sender has no route, or an ICMP host/net unreachable came back. */
    UNREACHABLE(false),
    /** Any other I/O error; see the probe's detail. */
    ERROR(false);

    private final boolean answered;

    Outcome(boolean answered) {
        this.answered = answered;
    }

    public boolean answered() {
        return answered;
    }
}
