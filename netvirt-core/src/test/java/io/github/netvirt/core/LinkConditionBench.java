package io.github.netvirt.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The relay's cost, side by side with a plain veth: TCP goodput a -> b and UDP round trips through
 * the same pair of namespaces without a condition and with one that sends every frame through the
 * userspace relay but impairs nothing measurable (loss 1e-9). Alternating rounds, medians.
 * Not a test: {@code java -cp ... io.github.netvirt.core.LinkConditionBench [rounds] [seconds]}.
 */
public final class LinkConditionBench {
    private LinkConditionBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        List<Double> plain = new ArrayList<>();
        List<Double> relay = new ArrayList<>();
        List<Double> plainRtt = new ArrayList<>();
        List<Double> relayRtt = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            try (Topology t = LinkConditionTest.pair().apply()) {
                plainRtt.add(LinkConditionTest.median(LinkConditionTest.udpRtts(t, 50)));
                plain.add(LinkConditionTest.tcpThroughput(t, seconds) * 8 / 1e6);
            }
            try (Topology t = LinkConditionTest.pair(x -> x.loss(1e-9)).apply()) {
                if (t.conditions().get(0).mode() != ConditionedLink.Mode.RELAY) {
                    throw new IllegalStateException("not relayed: " + t.conditions());
                }
                relayRtt.add(LinkConditionTest.median(LinkConditionTest.udpRtts(t, 50)));
                relay.add(LinkConditionTest.tcpThroughput(t, seconds) * 8 / 1e6);
            }
            System.out.printf(
                    "round %d: plain %.0f Mbit/s rtt %.3f ms | relay %.0f Mbit/s rtt %.3f ms%n",
                    r, plain.get(r), plainRtt.get(r), relay.get(r), relayRtt.get(r));
        }
        double p = median(plain);
        double q = median(relay);
        System.out.printf("result tcp-goodput plain-veth median_mbit=%.0f%n", p);
        System.out.printf("result tcp-goodput relay median_mbit=%.0f%n", q);
        System.out.printf("ratio relay/plain goodput %.3f%n", q / p);
        System.out.printf(
                "result udp-rtt plain-veth median_ms=%.3f relay median_ms=%.3f%n", median(plainRtt), median(relayRtt));
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
