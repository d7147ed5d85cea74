package io.github.netvirt.netlink.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the nft program refuses is refused here too, before anything is sent: an address match of the
 * other IP version than the table's family, a tcp reset in a rule that matches another protocol, a
 * name nft cannot read back; and a tcp reset without a TCP match gets nft's {@code meta l4proto tcp}.
 */
class RuleCheckTest {
    private static final InetAddress V4 = ip("10.77.0.1");
    private static final InetAddress V6 = ip("fd00::1");

    @Test
    void anAddressMatchOfTheOtherIpVersionIsRefused() {
        // nft: "conflicting protocols specified: ip vs. ip6"; the kernel would keep a rule that never matches
        assertThatThrownBy(() ->
                        Rule.in(Family.IP, "t", "c").match(Match.source(V6)).then(Expr.drop()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IPv6")
                .hasMessageContaining("ip table t")
                .hasMessageContaining("never match");
        assertThatThrownBy(() -> Rule.in(Family.IP6, "t", "c")
                        .match(Match.destination(V4))
                        .then(Expr.drop()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IPv4")
                .hasMessageContaining("ip6 table t");
        // a match of each version in a separate rule of the same ip table: only the IPv6 one is wrong
        assertThatCode(() ->
                        Rule.in(Family.IP, "t", "c").match(Match.source(V4)).then(Expr.drop()))
                .doesNotThrowAnyException();
        assertThatCode(() ->
                        Rule.in(Family.IP6, "t", "c").match(Match.source(V6)).then(Expr.drop()))
                .doesNotThrowAnyException();
        assertThatCode(() ->
                        Rule.in(Family.INET, "t", "c").match(Match.source(V6)).then(Expr.drop()))
                .doesNotThrowAnyException();
        assertThatCode(() ->
                        Rule.in(Family.INET, "t", "c").match(Match.source(V4)).then(Expr.drop()))
                .doesNotThrowAnyException();
    }

    @Test
    void anAddressMatchInAnIpOrIp6TableIsTheHeaderCompareAloneAsNftSendsIt() {
        // nft --debug=netlink add rule ip t c ip saddr 10.77.0.1 drop: no meta nfproto, which the
        // hook's family makes always true there (and with which nft 1.0.6 cannot list an ip table)
        assertThat(Rule.in(Family.IP, "t", "c")
                        .match(Match.source(V4))
                        .then(Expr.drop())
                        .expressions())
                .containsExactly(
                        new Expr.Payload(Expr.Payload.NETWORK, 12, 4, Nft.REG_1),
                        new Expr.Cmp(Nft.REG_1, Expr.Cmp.Op.EQ, V4.getAddress()),
                        Expr.drop());
        assertThat(Rule.in(Family.IP6, "t", "c")
                        .match(Match.destination(V6))
                        .then(Expr.drop())
                        .expressions())
                .containsExactly(
                        new Expr.Payload(Expr.Payload.NETWORK, 24, 16, Nft.REG_1),
                        new Expr.Cmp(Nft.REG_1, Expr.Cmp.Op.EQ, V6.getAddress()),
                        Expr.drop());
        // inet keeps it: there it tells IPv4 from IPv6
        assertThat(Rule.in(Family.INET, "t", "c")
                        .match(Match.source(V4))
                        .then(Expr.drop())
                        .expressions())
                .startsWith(new Expr.Meta(Expr.Meta.NFPROTO, Nft.REG_1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"IP", "IP6"})
    void anAbstractIcmpRejectIsRefusedInAnIpOrIp6Table(String family) {
        // the kernel's ip and ip6 reject answer only "icmp" and "tcp reset": an icmpx reject drops the
        // packet without an answer there, while nft lists it as "reject"; nft refuses it ("abstracted
        // ICMP unreachable not supported")
        Family f = Family.valueOf(family);
        assertThatThrownBy(() -> Rule.in(f, "t", "c")
                        .match(Match.destinationPort(Match.UDP, 53))
                        .then(Expr.portUnreachable()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("icmpx");
    }

    @ParameterizedTest
    @ValueSource(strings = {"INET", "BRIDGE", "NETDEV"})
    void anIcmpRejectThatDoesNotSayIpv4OrIpv6IsRefused(String family) {
        // nft --debug=netlink add rule inet t c reject with icmp type port-unreachable:
        //   [ meta load nfproto => reg 1 ] [ cmp eq reg 1 0x00000002 ] [ reject type 0 code 3 ]
        // (bridge and netdev: meta load protocol, cmp eq 0x0008). Without it the kernel answers an IPv6
        // packet with ICMPv6 of code 3 (address unreachable), an IPv4 one of an icmpv6 code 4 with ICMP
        // "fragmentation needed" (measured on lo); the code alone cannot say which version was meant
        Family f = Family.valueOf(family);
        String pin = f == Family.INET ? "meta nfproto" : "meta protocol";
        for (int code : new int[] {3, 4}) {
            assertThatThrownBy(() -> Rule.in(f, "t", "c")
                            .match(Match.destinationPort(Match.UDP, 53))
                            .then(new Expr.Reject(Expr.Reject.ICMP_UNREACH, code)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("IPv4 or IPv6")
                    .hasMessageContaining(pin)
                    .hasMessageContaining(f.nftName() + " table t");
        }
        // a version match after the reject's register was overwritten does not count
        assertThatThrownBy(() -> Rule.in(f, "t", "c")
                        .add(new Expr.Meta(f == Family.INET ? Expr.Meta.NFPROTO : Expr.Meta.PROTOCOL, Nft.REG_1))
                        .add(new Expr.Payload(Expr.Payload.TRANSPORT, 2, 2, Nft.REG_1))
                        .add(new Expr.Cmp(Nft.REG_1, Expr.Cmp.Op.EQ, new byte[] {2}))
                        .then(new Expr.Reject(Expr.Reject.ICMP_UNREACH, 3)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anIcmpRejectAfterItsIpVersionIsSentAsItIs() {
        Expr v4 = new Expr.Reject(Expr.Reject.ICMP_UNREACH, 3);
        Expr v6 = new Expr.Reject(Expr.Reject.ICMP_UNREACH, 4);
        // inet: an address match carries meta nfproto
        List<Expr> m = Match.source(V4);
        assertThat(Rule.in(Family.INET, "t", "c").match(m).then(v4).expressions())
                .containsExactly(m.get(0), m.get(1), m.get(2), m.get(3), v4);
        // inet: meta nfproto ipv6, as nft sends "reject with icmpv6 type port-unreachable"
        List<Expr> nfproto6 = List.of(
                new Expr.Meta(Expr.Meta.NFPROTO, Nft.REG_1), new Expr.Cmp(Nft.REG_1, Expr.Cmp.Op.EQ, new byte[] {10}));
        assertThat(Rule.in(Family.INET, "t", "c")
                        .match(nfproto6)
                        .match(Match.destinationPort(Match.UDP, 53))
                        .then(v6)
                        .expressions())
                .hasSize(2 + 4 + 1)
                .endsWith(v6);
        // bridge and netdev: meta protocol ip6, or ether type ip (nft's two spellings)
        List<Expr> protocol6 = List.of(
                new Expr.Meta(Expr.Meta.PROTOCOL, Nft.REG_1),
                new Expr.Cmp(Nft.REG_1, Expr.Cmp.Op.EQ, new byte[] {(byte) 0x86, (byte) 0xdd}));
        List<Expr> etherType4 = List.of(
                new Expr.Payload(Expr.Payload.LINK, 12, 2, Nft.REG_1),
                new Expr.Cmp(Nft.REG_1, Expr.Cmp.Op.EQ, new byte[] {8, 0}));
        for (Family f : List.of(Family.BRIDGE, Family.NETDEV)) {
            assertThatCode(() -> Rule.in(f, "t", "c").match(protocol6).then(v6)).doesNotThrowAnyException();
            assertThatCode(() -> Rule.in(f, "t", "c").match(etherType4).then(v4))
                    .doesNotThrowAnyException();
        }
        // ip and ip6: the table's family is the version
        assertThat(Rule.in(Family.IP, "t", "c").then(v4).expressions()).containsExactly(v4);
        assertThat(Rule.in(Family.IP6, "t", "c").then(v6).expressions()).containsExactly(v6);
        // an icmpx reject needs no version: the kernel picks ICMP or ICMPv6 and maps its code
        assertThatCode(() -> Rule.in(Family.INET, "t", "c").then(Expr.portUnreachable()))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"BRIDGE", "NETDEV", "ARP"})
    void anAddressMatchIsRefusedWhereMetaNfprotoIsNeverIp(String family) {
        // the kernel's meta nfproto is the hook's family (bridge 7, netdev 5, arp 3), never ipv4 or ipv6;
        // nft: "meta nfproto is only useful in the inet family"
        Family f = Family.valueOf(family);
        assertThatThrownBy(() -> Rule.in(f, "t", "c").match(Match.source(V4)).then(Expr.drop()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("never match");
        assertThatThrownBy(
                        () -> Rule.in(f, "t", "c").match(Match.destination(V6)).then(Expr.drop()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("never match");
    }

    @Test
    void aRuleReadBackIsTakenAsTheKernelHasIt() {
        // another program's rule is listed, not judged: only rules to add (handle 0) are checked
        List<Expr> v6 = Match.source(V6);
        assertThat(new Rule(Family.IP, "t", "c", 7, v6).expressions()).isEqualTo(v6);
        List<Expr> reset = List.of(Expr.tcpReset());
        assertThat(new Rule(Family.INET, "t", "c", 8, reset).expressions()).isEqualTo(reset);
    }

    @Test
    void aTcpResetWithoutATcpMatchGetsMetaL4protoTcpAsNftAddsIt() {
        // nft --debug=netlink add rule inet t c reject with tcp reset:
        //   [ meta load l4proto => reg 1 ] [ cmp eq reg 1 0x00000006 ] [ reject type 1 code 0 ]
        List<Expr> nft = List.of(
                new Expr.Meta(Expr.Meta.L4PROTO, Nft.REG_1),
                new Expr.Cmp(Nft.REG_1, Expr.Cmp.Op.EQ, new byte[] {6}),
                new Expr.Reject(Expr.Reject.TCP_RST, 0));
        for (Family f : List.of(Family.INET, Family.IP, Family.IP6, Family.BRIDGE)) {
            assertThat(Rule.in(f, "t", "c").then(Expr.tcpReset()).expressions())
                    .as(f.nftName())
                    .isEqualTo(nft);
        }
        // ip saddr 1.2.3.4 counter reject with tcp reset: nft puts the dependency first
        List<Expr> withMatch = Rule.in(Family.INET, "t", "c")
                .match(Match.source(V4))
                .add(Expr.counter())
                .then(Expr.tcpReset())
                .expressions();
        assertThat(withMatch.subList(0, 2)).isEqualTo(nft.subList(0, 2));
        assertThat(withMatch.subList(2, withMatch.size()))
                .startsWith(Match.source(V4).toArray(new Expr[0]));
        assertThat(withMatch).hasSize(2 + 4 + 2);
    }

    @Test
    void aTcpFlagsMatchMatchesTcpOnlyAsNftSendsIt() {
        // nft --debug=netlink add rule inet t c tcp flags & (syn|ack) == syn drop:
        //   [ meta load l4proto => reg 1 ] [ cmp eq reg 1 0x00000006 ] [ payload load 1b @ transport header + 13 ...
        // without it the byte is read from any transport header: an ICMPv6 port unreachable (byte 13 is
        // the quoted payload length) and UDP with 0x02 in its 6th payload byte were dropped (measured)
        List<Expr> tcp = List.of(
                new Expr.Meta(Expr.Meta.L4PROTO, Nft.REG_1), new Expr.Cmp(Nft.REG_1, Expr.Cmp.Op.EQ, new byte[] {6}));
        List<Expr> alone = Rule.in(Family.INET, "t", "c")
                .match(Match.tcpFlags(Match.SYN | Match.ACK, Match.SYN))
                .then(Expr.drop())
                .expressions();
        assertThat(alone).hasSize(2 + 3 + 1).startsWith(tcp.toArray(new Expr[0]));
        // after a TCP port match the protocol is matched once, as nft sends "tcp dport 80 tcp flags ..."
        List<Expr> port = Match.destinationPort(Match.TCP, 80);
        List<Expr> both = Rule.in(Family.INET, "t", "c")
                .match(port)
                .match(Match.tcpFlags(Match.SYN | Match.ACK, Match.SYN))
                .then(Expr.drop())
                .expressions();
        assertThat(both).hasSize(4 + 3 + 1).startsWith(port.toArray(new Expr[0]));
        // after a UDP port match it could never match (nft: conflicting protocols specified: udp vs. tcp)
        assertThatThrownBy(() -> Rule.in(Family.INET, "t", "c")
                        .match(Match.destinationPort(Match.UDP, 53))
                        .match(Match.tcpFlags(Match.SYN, Match.SYN))
                        .then(Expr.drop()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("protocol 17")
                .hasMessageContaining("never match");
    }

    @Test
    void aTcpResetAfterATcpMatchIsLeftAsItIs() {
        List<Expr> m = Match.destinationPort(Match.TCP, 80);
        Rule r = Rule.in(Family.INET, "t", "c").match(m).then(Expr.tcpReset());
        assertThat(r.expressions()).hasSize(m.size() + 1).startsWith(m.toArray(new Expr[0]));
    }

    @Test
    void aTcpResetAfterAnotherProtocolIsRefused() {
        // nft: "you cannot use tcp reset with this protocol"
        assertThatThrownBy(() -> Rule.in(Family.INET, "t", "c")
                        .match(Match.destinationPort(Match.UDP, 53))
                        .then(Expr.tcpReset()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tcp reset")
                .hasMessageContaining("protocol 17");
        // an ICMP reject after a UDP match is fine
        assertThatCode(() -> Rule.in(Family.INET, "t", "c")
                        .match(Match.destinationPort(Match.UDP, 53))
                        .then(Expr.portUnreachable()))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "1a", "-x", "a$b", "x:y", "\u00e4", "a\\b", "a*", "a\"b", "tab\there"})
    void aNameNftCannotReadBackIsRefusedBeforeAnythingIsSent(String bad) {
        // nft's scanner.l: string ({letter}|[_.])({letter}|{digit}|[/\-_\.])*
        assertThatThrownBy(() -> new NftTransaction(null).createTable(Table.of(Family.INET, bad)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table name \"" + bad + "\"")
                .hasMessageContaining("nft");
        assertThatThrownBy(() -> new NftTransaction(null).addTable(Table.of(Family.INET, bad)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NftTransaction(null)
                        .addChain(Chain.base(Family.INET, "t", bad, Hook.INPUT, 0, Verdict.ACCEPT)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chain name \"" + bad + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a1", "a-b", "a/b", ".x", "_x", "input", "a.b-c/d_e", "netvirt_fault_3_12345"})
    void namesNftReadsAreAccepted(String good) {
        NftTransaction t = new NftTransaction(null)
                .createTable(Table.of(Family.INET, good))
                .addChain(Chain.regular(Family.INET, good, good));
        assertThat(t.size()).isEqualTo(2);
    }

    @Test
    void aForeignTableWithAnyNameCanStillBeReferredTo() {
        // another program may have made it: deleting it, a chain or a rule in it, names nothing new
        NftTransaction t = new NftTransaction(null)
                .deleteTable(Table.of(Family.INET, "a b"))
                .deleteChain(Chain.regular(Family.INET, "a b", "c d"))
                .addChain(Chain.regular(Family.INET, "a b", "c"))
                .addRule(Rule.in(Family.INET, "a b", "c d").then(Expr.drop()));
        assertThat(t.size()).isEqualTo(4);
    }

    private static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
