package io.github.netvirt.netlink.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.codec.NlMessage;
import io.github.netvirt.netlink.codec.NlReader;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The datagrams netvirt sends, byte for byte against what {@code nft} 1.0.6 sent for the same ruleset
 * (captured with {@code strace -e trace=sendmsg -e write=3 nft -f FILE} in a scratch namespace; the
 * files are under {@code src/test/resources/nftables}; the deletions were {@code nft delete ...} commands).
 * {@code nft} asks for no acks and numbers its messages from 0: {@code encode(0, false)} does the same.
 */
class NftEncodingTest {
    private static final Family INET = Family.INET;

    /** nft -f: table inet netvirt_t { chain input { type filter hook input priority -10; policy accept; ip saddr 10.77.0.1 drop; ip6 saddr fd00::1 drop; ip saddr 10.77.0.2 numgen random mod 10000 < 2500 drop } } */
    private static final String[] INPUT_DROP = {
        "140000001000010000000000000000000000000a",
        "2c000000000a01000100000000000000010000000e0001006e6574766972745f740000000800020000000000",
        "58000000030a01040200000000000000010000000e0001006e6574766972745f740000000a000300696e707574000000"
                + "0b00070066696c7465720000080005000000000114000480080001000000000108000200fffffff6",
        "14010000060a010c0300000000000000010000000e0001006e6574766972745f740000000a000200696e707574000000"
                + "e400048024000180090001006d6574610000000014000280080002000000000f08000100000000012c00018008000100"
                + "636d700020000280080001000000000108000200000000000c0003800500010002000000340001800c0001007061796c"
                + "6f6164002400028008000100000000010800020000000001080003000000000c08000400000000042c00018008000100"
                + "636d700020000280080001000000000108000200000000000c000380080001000a4d0001300001800e000100696d6d65"
                + "64696174650000001c0002800800010000000000100002800c0002800800010000000000",
        "20010000060a010c0400000000000000010000000e0001006e6574766972745f740000000a000200696e707574000000"
                + "f000048024000180090001006d6574610000000014000280080002000000000f08000100000000012c00018008000100"
                + "636d700020000280080001000000000108000200000000000c000380050001000a000000340001800c0001007061796c"
                + "6f6164002400028008000100000000010800020000000001080003000000000808000400000000103800018008000100"
                + "636d70002c000280080001000000000108000200000000001800038014000100fd000000000000000000000000000001"
                + "300001800e000100696d6d6564696174650000001c0002800800010000000000100002800c0002800800010000000000",
        "b4010000060a010c0500000000000000010000000e0001006e6574766972745f740000000a000200696e707574000000"
                + "8401048024000180090001006d6574610000000014000280080002000000000f08000100000000012c00018008000100"
                + "636d700020000280080001000000000108000200000000000c0003800500010002000000340001800c0001007061796c"
                + "6f6164002400028008000100000000010800020000000001080003000000000c08000400000000042c00018008000100"
                + "636d700020000280080001000000000108000200000000000c000380080001000a4d0002340001800b0001006e756d67"
                + "656e0000240002800800010000000001080002000000271008000300000000010800040000000000400001800e000100"
                + "627974656f726465720000002c0002800800010000000001080002000000000108000300000000010800040000000004"
                + "08000500000000042c00018008000100636d700020000280080001000000000108000200000000020c00038008000100"
                + "000009c4300001800e000100696d6d6564696174650000001c0002800800010000000000100002800c00028008000100"
                + "00000000",
        "140000001100010006000000000000000000000a",
    };

    /** The bytes the refuse and refuse-with-reset rules share: l4proto tcp, dport 8080, tcp flags & (syn|ack). */
    private static final String SYN_TO_8080 = ""
            + "636d700020000280080001000000000108000200000000000c0003800500010006000000340001800c0001007061796c"
            + "6f6164002400028008000100000000010800020000000002080003000000000208000400000000022c00018008000100"
            + "636d700020000280080001000000000108000200000000000c000380060001001f900000340001800c0001007061796c"
            + "6f6164002400028008000100000000010800020000000002080003000000000d08000400000000014c0001800c000100"
            + "62697477697365003c00028008000100000000010800020000000001080006000000000008000300000000010c000480"
            + "05000100120000000c00058005000100000000002c00018008000100636d700020000280080001000000000108000200";

    /** nft -f connection-rules.nft: create table, two base chains, the connection-fault rules */
    private static final String[] CONNECTION_RULES = {
        "140000001000010000000000000000000000000a",
        // create table asks for its echo (NLM_F_ECHO | NLM_F_EXCL, 0x0209) as nft --echo create table does
        "2c000000000a09020100000000000000010000000e0001006e6574766972745f630000000800020000000000",
        "58000000030a01040200000000000000010000000e0001006e6574766972745f630000000a000300696e707574000000"
                + "0b00070066696c7465720000080005000000000114000480080001000000000108000200fffffff6",
        "58000000030a01040300000000000000010000000e0001006e6574766972745f630000000b0003006f75747075740000"
                + "0b00070066696c7465720000080005000000000114000480080001000000000308000200fffffff6",
        "c0010000060a010c0400000000000000010000000e0001006e6574766972745f630000000a000200696e707574000000"
                + "9001048024000180090001006d6574610000000014000280080002000000001008000100000000012c00018008000100"
                + SYN_TO_8080
                + "000000000c0003800500010002000000300001800e000100696d6d6564696174650000001c0002800800010000000000"
                + "100002800c0002800800010000000000",
        "b4010000060a010c0500000000000000010000000e0001006e6574766972745f630000000a000200696e707574000000"
                + "8401048024000180090001006d6574610000000014000280080002000000001008000100000000012c00018008000100"
                + SYN_TO_8080
                + "000000000c0003800500010002000000240001800b00010072656a656374000014000280080001000000000105000200"
                + "00000000",
        "08010000060a010c0600000000000000010000000e0001006e6574766972745f630000000a000200696e707574000000"
                + "d800048024000180090001006d6574610000000014000280080002000000001008000100000000012c00018008000100"
                + "636d700020000280080001000000000108000200000000000c0003800500010006000000340001800c0001007061796c"
                + "6f6164002400028008000100000000010800020000000002080003000000000208000400000000022c00018008000100"
                + "636d700020000280080001000000000108000200000000000c000380060001001f900000240001800b00010072656a65"
                + "637400001400028008000100000000010500020000000000",
        "14010000060a010c0700000000000000010000000e0001006e6574766972745f630000000a000200696e707574000000"
                + "e400048024000180090001006d6574610000000014000280080002000000001008000100000000012c00018008000100"
                + "636d700020000280080001000000000108000200000000000c0003800500010011000000340001800c0001007061796c"
                + "6f6164002400028008000100000000010800020000000002080003000000000208000400000000022c00018008000100"
                + "636d700020000280080001000000000108000200000000000c0003800600010000350000300001800e000100696d6d65"
                + "64696174650000001c0002800800010000000000100002800c0002800800010000000000",
        "c4010000060a010c0800000000000000010000000e0001006e6574766972745f630000000a000200696e707574000000"
                + "9401048024000180090001006d6574610000000014000280080002000000000f08000100000000012c00018008000100"
                + "636d700020000280080001000000000108000200000000000c0003800500010002000000340001800c0001007061796c"
                + "6f6164002400028008000100000000010800020000000001080003000000000c08000400000000042c00018008000100"
                + "636d700020000280080001000000000108000200000000000c000380080001000a4d000124000180090001006d657461"
                + "0000000014000280080002000000001008000100000000012c00018008000100636d7000200002800800010000000001"
                + "08000200000000000c0003800500010006000000340001800c0001007061796c6f616400240002800800010000000001"
                + "0800020000000002080003000000000208000400000000022c00018008000100636d7000200002800800010000000001"
                + "08000200000000000c000380060001001f900000300001800e000100696d6d6564696174650000001c00028008000100"
                + "00000000100002800c0002800800010000000000",
        "b4000000060a010c0900000000000000010000000e0001006e6574766972745f630000000a000200696e707574000000"
                + "8400048024000180090001006d6574610000000014000280080002000000000408000100000000012c00018008000100"
                + "636d700020000280080001000000000108000200000000000c0003800800010001000000300001800e000100696d6d65"
                + "64696174650000001c0002800800010000000000100002800c0002800800010000000001",
        "08010000060a010c0a00000000000000010000000e0001006e6574766972745f630000000a000200696e707574000000"
                + "d800048024000180090001006d6574610000000014000280080002000000001008000100000000012c00018008000100"
                + "636d700020000280080001000000000108000200000000000c0003800500010011000000340001800c0001007061796c"
                + "6f6164002400028008000100000000010800020000000002080003000000000208000400000000022c00018008000100"
                + "636d700020000280080001000000000108000200000000000c0003800600010000090000240001800b00010072656a65"
                + "637400001400028008000100000000020500020001000000",
        "14010000060a010c0b00000000000000010000000e0001006e6574766972745f630000000b0002006f75747075740000"
                + "e400048024000180090001006d6574610000000014000280080002000000001008000100000000012c00018008000100"
                + "636d700020000280080001000000000108000200000000000c0003800500010006000000340001800c0001007061796c"
                + "6f6164002400028008000100000000010800020000000002080003000000000008000400000000022c00018008000100"
                + "636d700020000280080001000000000108000200000000000c000380060001001f900000300001800e000100696d6d65"
                + "64696174650000001c0002800800010000000000100002800c0002800800010000000000",
        "c8000000060a010c0c00000000000000010000000e0001006e6574766972745f630000000b0002006f75747075740000"
                + "9800048024000180090001006d6574610000000014000280080002000000000508000100000000012c00018008000100"
                + "636d700020000280080001000000000108000200000000000c0003800800010001000000140001800c000100636f756e"
                + "7465720004000280300001800e000100696d6d6564696174650000001c0002800800010000000000100002800c000280"
                + "0800010000000001",
        "14000000110001000d000000000000000000000a",
    };

    /** nft delete rule inet netvirt_c input handle 4 */
    private static final String[] DELETE_RULE = {
        "140000001000010000000000000000000000000a",
        "3c000000080a01000100000000000000010000000e0001006e6574766972745f630000000a000200696e707574000000"
                + "0c0003000000000000000004",
        "140000001100010002000000000000000000000a",
    };

    /** nft delete chain inet netvirt_c handle 5 */
    private static final String[] DELETE_CHAIN_BY_HANDLE = {
        "140000001000010000000000000000000000000a",
        "30000000050a01000100000000000000010000000e0001006e6574766972745f630000000c0002000000000000000005",
        "140000001100010002000000000000000000000a",
    };

    /** nft delete table inet netvirt_c */
    private static final String[] DELETE_TABLE = {
        "140000001000010000000000000000000000000a",
        "24000000020a01000100000000000000010000000e0001006e6574766972745f63000000",
        "140000001100010002000000000000000000000a",
    };

    @Test
    void inputDropTableMatchesNft() throws Exception {
        NftTransaction t = new NftTransaction(null)
                .addTable(Table.of(INET, "netvirt_t"))
                .addChain(Chain.base(INET, "netvirt_t", "input", Hook.INPUT, -10, Verdict.ACCEPT))
                .addRule(Rule.in(INET, "netvirt_t", "input")
                        .match(Match.source(ip("10.77.0.1")))
                        .then(Expr.drop()))
                .addRule(Rule.in(INET, "netvirt_t", "input")
                        .match(Match.source(ip("fd00::1")))
                        .then(Expr.drop()))
                .addRule(Rule.in(INET, "netvirt_t", "input")
                        .match(Match.source(ip("10.77.0.2")))
                        .match(Match.random(10000, 2500))
                        .then(Expr.drop()));
        assertThat(messages(t.encode(0, false))).containsExactly(INPUT_DROP);
    }

    @Test
    void connectionFaultRulesMatchNft() throws Exception {
        String tb = "netvirt_c";
        NftTransaction t = new NftTransaction(null)
                .createTable(Table.of(INET, tb))
                .addChain(Chain.base(INET, tb, "input", Hook.INPUT, -10, Verdict.ACCEPT))
                .addChain(Chain.base(INET, tb, "output", Hook.OUTPUT, -10, Verdict.ACCEPT))
                // tcp dport 8080 tcp flags & (syn | ack) == syn drop
                .addRule(Rule.in(INET, tb, "input")
                        .match(Match.destinationPort(Match.TCP, 8080))
                        .match(Match.tcpFlags(Match.SYN | Match.ACK, Match.SYN))
                        .then(Expr.drop()))
                // ... reject with tcp reset
                .addRule(Rule.in(INET, tb, "input")
                        .match(Match.destinationPort(Match.TCP, 8080))
                        .match(Match.tcpFlags(Match.SYN | Match.ACK, Match.SYN))
                        .then(Expr.tcpReset()))
                // tcp dport 8080 reject with tcp reset
                .addRule(Rule.in(INET, tb, "input")
                        .match(Match.destinationPort(Match.TCP, 8080))
                        .then(Expr.tcpReset()))
                // meta l4proto udp th dport 53 drop
                .addRule(Rule.in(INET, tb, "input")
                        .match(Match.destinationPort(Match.UDP, 53))
                        .then(Expr.drop()))
                // ip saddr 10.77.0.1 meta l4proto tcp th dport 8080 drop
                .addRule(Rule.in(INET, tb, "input")
                        .match(Match.source(ip("10.77.0.1")))
                        .match(Match.destinationPort(Match.TCP, 8080))
                        .then(Expr.drop()))
                // meta iif "lo" accept
                .addRule(Rule.in(INET, tb, "input")
                        .match(Match.inputInterface(1))
                        .then(Expr.accept()))
                // udp dport 9 reject
                .addRule(Rule.in(INET, tb, "input")
                        .match(Match.destinationPort(Match.UDP, 9))
                        .then(Expr.portUnreachable()))
                // meta l4proto tcp th sport 8080 drop
                .addRule(Rule.in(INET, tb, "output")
                        .match(Match.sourcePort(Match.TCP, 8080))
                        .then(Expr.drop()))
                // meta oif "lo" counter accept
                .addRule(Rule.in(INET, tb, "output")
                        .match(Match.outputInterface(1))
                        .add(Expr.counter())
                        .then(Expr.accept()));
        assertThat(messages(t.encode(0, false))).containsExactly(CONNECTION_RULES);
    }

    @Test
    void deletionsMatchNft() {
        assertThat(messages(new NftTransaction(null)
                        .deleteRule(INET, "netvirt_c", "input", 4)
                        .encode(0, false)))
                .containsExactly(DELETE_RULE);
        assertThat(messages(new NftTransaction(null)
                        .deleteTable(Table.of(INET, "netvirt_c"))
                        .encode(0, false)))
                .containsExactly(DELETE_TABLE);
        assertThat(messages(new NftTransaction(null)
                        .deleteChain(new Chain(INET, "netvirt_c", "input", 5, null, null, 0, null))
                        .encode(0, false)))
                .containsExactly(DELETE_CHAIN_BY_HANDLE);
    }

    @Test
    void theLastCommittedMessageAsksForAnAck() {
        // the kernel reports refused messages unasked; one ack per message overflowed the receive buffer
        byte[] b = new NftTransaction(null)
                .deleteTable(Table.of(INET, "x"))
                .deleteTable(Table.of(INET, "y"))
                .encode(7, true);
        List<NlMessage> m = NlReader.parseAll(b);
        assertThat(m).hasSize(4);
        assertThat(m.get(0).flags()).as("batch begin").isEqualTo(1);
        assertThat(m.get(1).flags()).as("a change").isEqualTo(1);
        assertThat(m.get(2).flags()).as("the last change").isEqualTo(1 | 4);
        assertThat(m.get(3).flags()).as("batch end").isEqualTo(1);
        assertThat(m).extracting(NlMessage::seq).containsExactly(7, 8, 9, 10);
    }

    @Test
    void badInputIsRejectedBeforeEncoding() {
        assertThatThrownBy(() -> Table.of(INET, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Match.destinationPort(Match.TCP, 70000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Match.tcpFlags(Match.SYN, Match.ACK)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Chain.base(INET, "t", "c", Hook.INPUT, 0, Verdict.RETURN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("policy");
        assertThatThrownBy(() -> Chain.base(Family.NETDEV, "t", "c", Hook.INPUT, 0, Verdict.ACCEPT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("netdev family has no input hook");
        assertThatThrownBy(() -> new NftTransaction(null)
                        .deleteRule(Rule.in(INET, "t", "c").then(Expr.drop())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("handle");
    }

    @Test
    void aBaseChainOnADevicesHookIsRefusedBeforeEncoding() {
        // nft: "Missing `device' in this chain definition"; the kernel (6.18) takes it without a device,
        // a chain that no packet ever reaches
        for (Family f : List.of(Family.NETDEV, INET)) {
            for (Hook h : f == INET ? List.of(Hook.INGRESS) : List.of(Hook.INGRESS, Hook.EGRESS)) {
                assertThatThrownBy(
                                () -> new NftTransaction(null).addChain(Chain.base(f, "t", "c", h, 0, Verdict.ACCEPT)))
                        .as("%s %s", f, h)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("device");
            }
        }
    }

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    private static List<String> messages(byte[] datagram) {
        List<String> out = new ArrayList<>();
        for (NlMessage m : NlReader.parseAll(datagram)) {
            byte[] one = new byte[m.length()];
            m.buffer().get(m.offset(), one);
            out.add(HexFormat.of().formatHex(one));
        }
        return out;
    }
}
