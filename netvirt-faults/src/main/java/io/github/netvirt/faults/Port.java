package io.github.netvirt.faults;

/**
 * A transport protocol and port that a fault is limited to: the traffic of every flow with this port at
 * either end (a client talking to a server on it, and the server's answers).
 */
public record Port(int protocol, int number) {
    static final int TCP = 6;
    static final int UDP = 17;

    public Port {
        if (protocol != TCP && protocol != UDP) {
            throw new IllegalArgumentException("protocol must be TCP (6) or UDP (17), got " + protocol);
        }
        if (number < 1 || number > 65535) {
            throw new IllegalArgumentException("port out of range: " + number);
        }
    }

    public static Port tcp(int number) {
        return new Port(TCP, number);
    }

    public static Port udp(int number) {
        return new Port(UDP, number);
    }

    @Override
    public String toString() {
        return (protocol == TCP ? "tcp/" : "udp/") + number;
    }
}
