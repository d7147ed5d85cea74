package io.github.netvirt.faults;

import io.github.netvirt.netlink.nftables.Expr;
import io.github.netvirt.netlink.nftables.Hook;
import io.github.netvirt.netlink.nftables.Match;
import io.github.netvirt.netns.NetNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Trouble with the connections to one port of a host, made in the kernel for any client and any
 * protocol, with no proxy in the path (what Toxiproxy does for one TCP port through a proxy): the
 * rules live in an nftables table of their own in the host's namespace, spoken over netlink, and go
 * with {@link #heal()}. Links, addresses and routes are untouched.
 *
 * <table>
 * <caption>What a client of {@code host:port} observes</caption>
 * <tr><th>fault</th><th>new connections</th><th>established connections</th></tr>
 * <tr><td>{@link #refuse}</td><td>{@code connect()} times out (SYNs dropped)</td><td>go on</td></tr>
 * <tr><td>{@link #refuseWithReset}</td><td>{@code ConnectException: Connection refused}</td><td>go on</td></tr>
 * <tr><td>{@link #reset}</td><td>refused</td><td>reset as soon as either end sends: {@code SocketException: Connection reset}</td></tr>
 * <tr><td>{@link #blackhole}</td><td>{@code connect()} times out</td><td>stall both ways (a hung peer): reads time out, then resume after heal</td></tr>
 * </table>
 *
 * A null argument is refused first, with a {@link NullPointerException} naming it. Thread-safe.
 */
public final class ConnectionFault extends OneShotFault {
    private final FilterTable table;

    private ConnectionFault(String description, FilterTable table) {
        super("ConnectionFault", description);
        this.table = table;
    }

    /**
     * New TCP connections to {@code port} of {@code host} are not answered: their SYNs are dropped, so
     * clients' {@code connect()} times out. Established connections are untouched.
     *
     * @throws IllegalArgumentException on a port out of range
     * @throws io.github.netvirt.netlink.NetlinkException when the kernel refuses the rules
     */
    public static ConnectionFault refuse(NetNamespace host, int port) {
        Objects.requireNonNull(host, "host");
        Port p = Port.tcp(port);
        return install("refuse " + p, host, List.of(new FilterTable.Entry(Hook.INPUT, syn(p), Expr.drop())));
    }

    /** New TCP connections to {@code port} of {@code host} are answered with a reset: "connection refused". */
    public static ConnectionFault refuseWithReset(NetNamespace host, int port) {
        Objects.requireNonNull(host, "host");
        Port p = Port.tcp(port);
        return install(
                "refuse with reset " + p, host, List.of(new FilterTable.Entry(Hook.INPUT, syn(p), Expr.tcpReset())));
    }

    /**
     * Every TCP segment to {@code port} of {@code host} (resets excepted) is answered with a reset: an
     * established connection is reset at the next segment either end sends — the client's, or the
     * client's acknowledgement of the server's, after which the server's next segment is answered with a
     * reset by the client's kernel — so both ends see ECONNRESET; new connections are refused.
     */
    public static ConnectionFault reset(NetNamespace host, int port) {
        Objects.requireNonNull(host, "host");
        Port p = Port.tcp(port);
        // resets pass: a client whose connection was reset answers the server's next segment with one,
        // and that must reach the server's socket
        List<Expr> incoming = new ArrayList<>(Match.destinationPort(p.protocol(), p.number()));
        incoming.addAll(Match.tcpFlags(Match.RST, 0));
        return install("reset " + p, host, List.of(new FilterTable.Entry(Hook.INPUT, incoming, Expr.tcpReset())));
    }

    /**
     * Every packet to or from {@code port} of {@code host} is silently dropped, both ways, while the
     * links stay up: established flows stall (a hung peer), new connections time out; after
     * {@link #heal()} TCP retransmits and established connections carry on.
     */
    public static ConnectionFault blackhole(NetNamespace host, Port port) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(port, "port");
        return install(
                "blackhole " + port,
                host,
                List.of(
                        new FilterTable.Entry(
                                Hook.INPUT, Match.destinationPort(port.protocol(), port.number()), Expr.drop()),
                        new FilterTable.Entry(
                                Hook.OUTPUT, Match.sourcePort(port.protocol(), port.number()), Expr.drop())));
    }

    private static List<Expr> syn(Port p) {
        List<Expr> m = new ArrayList<>(Match.destinationPort(p.protocol(), p.number()));
        m.addAll(Match.tcpFlags(Match.SYN | Match.ACK, Match.SYN));
        return m;
    }

    private static ConnectionFault install(String description, NetNamespace host, List<FilterTable.Entry> rules) {
        FilterTable table = FilterTable.install(host, rules);
        return Lease.healOnClose(new ConnectionFault(description + " in " + host, table), table.lease());
    }

    @Override
    void undo() {
        table.remove();
    }
}
