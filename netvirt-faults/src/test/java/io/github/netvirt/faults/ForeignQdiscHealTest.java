package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.Json;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A heal removes the qdisc its fault added, not whatever qdisc the device has at the same place by
 * then: a root or ingress qdisc someone else put in its place (replace, or del and add) stays, with
 * its filters.
 */
@RequiresRoot
class ForeignQdiscHealTest {

    /** A namespace with a veth pair qhA/qhB (and qhM/qhN for a mirror's target), all up. */
    private static void inNamespace(Consumer<NetNamespace> test) {
        String name = TestNames.unique("qh");
        NetNamespace ns = NetNamespace.create(name);
        try {
            Ip.ok("-n", name, "link", "add", "qhA", "type", "veth", "peer", "name", "qhB");
            Ip.ok("-n", name, "link", "add", "qhM", "type", "veth", "peer", "name", "qhN");
            for (String dev : List.of("qhA", "qhB", "qhM", "qhN")) {
                Ip.ok("-n", name, "link", "set", dev, "up");
            }
            test.accept(ns);
        } finally {
            ns.close();
            NetNamespace.delete(name);
        }
    }

    private static String name(NetNamespace ns) {
        return ns.name().orElseThrow();
    }

    /** {@code tc -j qdisc show dev DEV} in {@code ns}. */
    private static List<Map<String, Object>> qdiscs(NetNamespace ns, String dev) {
        return Json.array(RateLimitTest.tc("-n", name(ns), "-j", "qdisc", "show", "dev", dev));
    }

    private static Map<String, Object> root(NetNamespace ns, String dev) {
        return qdiscs(ns, dev).stream()
                .filter(q -> Boolean.TRUE.equals(q.get("root")))
                .findFirst()
                .orElseThrow();
    }

    private static void tc(NetNamespace ns, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "-n";
        all[1] = name(ns);
        System.arraycopy(args, 0, all, 2, args.length);
        RateLimitTest.tc(all);
    }

    @Test
    void aRootQdiscPutInPlaceOfTheLimitByReplaceStays() {
        inNamespace(ns -> {
            Fault limit = RateLimit.of(1_000_000).on(ns, "qhA");
            assertThat(root(ns, "qhA")).containsEntry("kind", "tbf");
            tc(ns, "qdisc", "replace", "dev", "qhA", "root", "handle", "1:", "htb", "default", "1");
            limit.heal();
            assertThat(limit.isActive()).isFalse();
            assertThat(root(ns, "qhA")).containsEntry("kind", "htb").containsEntry("handle", "1:");
        });
    }

    @Test
    void aRootQdiscOfTheSameKindAddedAfterTheLimitWasDeletedStays() {
        inNamespace(ns -> {
            Fault limit = RateLimit.of(1_000_000).on(ns, "qhA");
            Object ours = root(ns, "qhA").get("handle");
            // someone else removes the limit and puts a tbf of their own there, with a handle the kernel gives
            tc(ns, "qdisc", "del", "dev", "qhA", "root");
            tc(ns, "qdisc", "add", "dev", "qhA", "root", "tbf", "rate", "3mbit", "burst", "32k", "latency", "20ms");
            Map<String, Object> theirs = root(ns, "qhA");
            assertThat(theirs.get("handle")).isNotEqualTo(ours);
            limit.heal();
            assertThat(root(ns, "qhA")).containsEntry("kind", "tbf").containsEntry("handle", theirs.get("handle"));
        });
    }

    @Test
    void theLimitsOwnRootQdiscIsRemovedAfterAChangeOfItsParameters() {
        inNamespace(ns -> {
            Fault limit = RateLimit.of(1_000_000).on(ns, "qhA");
            // tc qdisc change keeps the qdisc (and its handle): it is still the one the fault added
            tc(ns, "qdisc", "change", "dev", "qhA", "root", "tbf", "rate", "2mbit", "burst", "32k", "latency", "20ms");
            limit.heal();
            assertThat(qdiscs(ns, "qhA")).noneMatch(q -> "tbf".equals(q.get("kind")));
        });
    }

    @Test
    void anIngressQdiscReAddedWithAFilterOfSomeoneElseStays() {
        inNamespace(ns -> {
            Fault mirror = PortMirror.ingress(ns, "qhA", "qhM");
            // someone else removes the mirror's ingress qdisc and adds one of their own, with their filter
            tc(ns, "qdisc", "del", "dev", "qhA", "ingress");
            tc(ns, "qdisc", "add", "dev", "qhA", "ingress");
            tc(
                    ns,
                    "filter",
                    "add",
                    "dev",
                    "qhA",
                    "parent",
                    "ffff:",
                    "protocol",
                    "all",
                    "prio",
                    "7",
                    "u32",
                    "match",
                    "u32",
                    "0",
                    "0",
                    "action",
                    "mirred",
                    "egress",
                    "mirror",
                    "dev",
                    "qhN");
            mirror.heal();
            assertThat(qdiscs(ns, "qhA")).anyMatch(q -> "ingress".equals(q.get("kind")));
            assertThat(RateLimitTest.tc("-n", name(ns), "filter", "show", "dev", "qhA", "ingress"))
                    .contains("pref 7")
                    .contains("Egress Mirror to device qhN");
        });
    }

    @Test
    void aFilterOfSomeoneElseOnTheMirrorsIngressQdiscStaysWithTheQdisc() {
        inNamespace(ns -> {
            Fault mirror = PortMirror.ingress(ns, "qhA", "qhM");
            tc(
                    ns,
                    "filter",
                    "add",
                    "dev",
                    "qhA",
                    "parent",
                    "ffff:",
                    "protocol",
                    "all",
                    "prio",
                    "7",
                    "u32",
                    "match",
                    "u32",
                    "0",
                    "0",
                    "action",
                    "mirred",
                    "egress",
                    "mirror",
                    "dev",
                    "qhN");
            mirror.heal();
            String filters = RateLimitTest.tc("-n", name(ns), "filter", "show", "dev", "qhA", "ingress");
            assertThat(filters).contains("pref 7").contains("Egress Mirror to device qhN");
            assertThat(filters).doesNotContain("pref 1 ").doesNotContain("device qhM");
            assertThat(qdiscs(ns, "qhA")).anyMatch(q -> "ingress".equals(q.get("kind")));
        });
    }

    @Test
    void theMirrorsOwnIngressQdiscIsRemoved() {
        inNamespace(ns -> {
            Fault mirror = PortMirror.ingress(ns, "qhA", "qhM");
            assertThat(RateLimitTest.tc("-n", name(ns), "filter", "show", "dev", "qhA", "ingress"))
                    .contains("device qhM");
            mirror.heal();
            assertThat(qdiscs(ns, "qhA")).noneMatch(q -> "ingress".equals(q.get("kind")));
        });
    }
}
