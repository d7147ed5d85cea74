package io.github.netvirt.netlink;

import static io.github.netvirt.netlink.Refused.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Event subscriptions, waiting for conditions, and the "nothing ever appears in the root namespace" guarantee. */
@RequiresRoot
class EventTest {
    @Test
    void blockingStreamSeesLinksAddressesAndRoutes() throws Exception {
        try (NetNamespace ns = NetNamespace.ephemeral();
                NetlinkHandle h = NetlinkHandle.open(ns);
                EventSubscription sub = h.subscribe(EventGroup.LINK, EventGroup.IPV4_ADDRESS, EventGroup.IPV4_ROUTE)) {
            String br = TestNames.unique("nl");
            h.linkAdd(LinkSpec.bridge(br).up());
            NetlinkEvent created = sub.await(
                    e -> e.type() == NetlinkEvent.Type.NEW_LINK
                            && br.equals(e.link().name()),
                    Duration.ofSeconds(2));
            int index = created.link().index();
            h.addrAdd(br, IpPrefix.parse("10.70.0.1/24"));
            NetlinkEvent addr = sub.await(e -> e.type() == NetlinkEvent.Type.NEW_ADDRESS, Duration.ofSeconds(2));
            assertThat(addr.address().prefix()).isEqualTo(IpPrefix.parse("10.70.0.1/24"));
            assertThat(addr.address().index()).isEqualTo(index);
            h.routeAdd(RouteSpec.to(IpPrefix.parse("10.71.0.0/16")).via(IpPrefix.parseAddress("10.70.0.2")));
            NetlinkEvent route = sub.await(
                    e -> e.type() == NetlinkEvent.Type.NEW_ROUTE
                            && e.route().destination().equals(IpPrefix.parse("10.71.0.0/16")),
                    Duration.ofSeconds(2));
            assertThat(route.route().gateway()).isEqualTo(IpPrefix.parseAddress("10.70.0.2"));
            h.linkDel(br);
            NetlinkEvent gone = sub.await(
                    e -> e.type() == NetlinkEvent.Type.DEL_LINK && e.link().index() == index, Duration.ofSeconds(2));
            assertThat(gone.link().name()).isEqualTo(br);
            assertThat(sub.poll(50, TimeUnit.MILLISECONDS))
                    .satisfiesAnyOf(
                            e -> assertThat(e).isNull(),
                            e -> assertThat(e.type()).isNotEqualTo(NetlinkEvent.Type.NEW_LINK));
            assertRefused(() -> sub.await(e -> false, Duration.ofMillis(100)), Errno.ETIMEDOUT);
        }
    }

    @Test
    void listenerAndWaitingForAVethToGoWithItsNamespace() throws Exception {
        String va = TestNames.unique("nl");
        String vb = TestNames.unique("nl");
        try (NetNamespace a = NetNamespace.ephemeral();
                NetlinkHandle ha = NetlinkHandle.open(a);
                EventSubscription sub = ha.subscribe(EventGroup.LINK)) {
            LinkedBlockingQueue<NetlinkEvent> seen = new LinkedBlockingQueue<>();
            sub.listen(seen::add);
            NetNamespace b = NetNamespace.ephemeral();
            ha.linkAdd(LinkSpec.veth(va, vb).peerNetns(b));
            assertThat(ha.awaitLinkPresent(va, Duration.ofSeconds(2)).kind()).isEqualTo("veth");
            b.close(); // the namespace dies, and the veth pair with it, asynchronously
            // the kernel's namespace clean-up is one queue for the whole host: behind others' namespaces
            ha.awaitLinkGone(va, Duration.ofSeconds(60));
            assertThat(ha.linkGet(va)).isEmpty();
            List<NetlinkEvent.Type> types = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!types.contains(NetlinkEvent.Type.DEL_LINK) && System.nanoTime() < deadline) {
                NetlinkEvent e = seen.poll(100, TimeUnit.MILLISECONDS);
                if (e != null && va.equals(e.link().name())) {
                    types.add(e.type());
                }
            }
            assertThat(types).startsWith(NetlinkEvent.Type.NEW_LINK).endsWith(NetlinkEvent.Type.DEL_LINK);
            assertRefused(() -> ha.awaitLinkPresent(va, Duration.ofMillis(100)), Errno.ETIMEDOUT);
        }
    }

    /**
     * A veth created between two namespaces from a handle in a third one leaves nothing in the root
     * namespace at any moment: a subscription in the root namespace sees no event about it.
     */
    @Test
    void vethBetweenTwoNamespacesFromAThirdNeverTouchesTheRootNamespace() throws Exception {
        List<String> inA = TestNames.unique("nl", 10);
        List<String> inB = TestNames.unique("nl", 10);
        List<String> names = Stream.concat(inA.stream(), inB.stream()).toList();
        try (NetNamespace root = NetNamespace.root();
                NetlinkHandle hr = NetlinkHandle.open(root);
                EventSubscription rootEvents =
                        hr.subscribe(EventGroup.LINK, EventGroup.IPV4_ADDRESS, EventGroup.IPV6_ADDRESS);
                NetNamespace a = NetNamespace.ephemeral();
                NetNamespace b = NetNamespace.ephemeral();
                NetNamespace c = NetNamespace.ephemeral();
                NetlinkHandle hc = NetlinkHandle.open(c);
                NetlinkHandle ha = NetlinkHandle.open(a);
                NetlinkHandle hb = NetlinkHandle.open(b)) {
            for (int i = 0; i < 10; i++) {
                String va = inA.get(i);
                String vb = inB.get(i);
                hc.linkAdd(LinkSpec.veth(va, vb).netns(a).peerNetns(b).bothUp());
                assertThat(ha.link(va).isUp()).isTrue();
                assertThat(hb.link(vb).isUp()).isTrue();
                assertThat(ha.link(va).peerIndex()).hasValue(hb.link(vb).index());
            }
            assertThat(hc.linkList()).extracting(Link::name).containsExactly("lo");
            for (String va : inA) {
                ha.linkDel(va);
            }
            for (String vb : inB) {
                hb.awaitLinkGone(vb, Duration.ofSeconds(2));
            }
            // drain everything the root namespace reported meanwhile
            List<NetlinkEvent> rootSaw = new ArrayList<>();
            NetlinkEvent e;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2); // others may keep the root busy
            while ((e = rootEvents.poll(200, TimeUnit.MILLISECONDS)) != null && System.nanoTime() < until) {
                rootSaw.add(e);
            }
            assertThat(rootSaw)
                    .noneMatch(
                            ev -> ev.link() != null && names.contains(ev.link().name()));
            // only our names: other programs on this kernel may add and remove root links meanwhile
            assertThat(hr.linkList()).extracting(Link::name).doesNotContainAnyElementsOf(names);
        }
    }

    @Test
    void lostEventsAreReportedAsEnobufs() throws Exception {
        try (NetNamespace ns = NetNamespace.ephemeral();
                NetlinkHandle h = NetlinkHandle.open(ns);
                EventSubscription sub = h.subscribe(EventGroup.LINK)) {
            sub.socket().setReceiveBuffer(1024); // the kernel rounds it up to its minimum
            NetlinkBatch batch = h.batch();
            for (int i = 0; i < 100; i++) {
                batch.linkAdd(LinkSpec.bridge(TestNames.unique("nl")));
            }
            batch.execute();
            assertThatThrownBy(() -> {
                        while (sub.poll(1, TimeUnit.SECONDS) != null) {
                            // drain until the overflow is reported
                        }
                    })
                    .isInstanceOfSatisfying(NetlinkException.class, e -> {
                        assertThat(e.is(Errno.ENOBUFS)).isTrue();
                        assertThat(e.getMessage()).contains("lost");
                    });
        }
    }

    @Test
    void waitsTimeOut() {
        try (NetNamespace ns = NetNamespace.ephemeral();
                NetlinkHandle h = NetlinkHandle.open(ns);
                EventSubscription sub = h.subscribe(EventGroup.NEIGHBOR)) {
            long t0 = System.nanoTime();
            assertRefused(() -> sub.socket().receive(System.nanoTime() + 50_000_000L, () -> "test"), Errno.ETIMEDOUT);
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(50_000_000L);
        }
    }

    @Test
    void closeWakesABlockedReader() throws Exception {
        try (NetNamespace ns = NetNamespace.ephemeral();
                NetlinkHandle h = NetlinkHandle.open(ns)) {
            EventSubscription sub = h.subscribe(EventGroup.LINK);
            LinkedBlockingQueue<String> result = new LinkedBlockingQueue<>();
            Thread t = new Thread(() -> {
                try {
                    result.add(String.valueOf(sub.poll(30, TimeUnit.SECONDS)));
                } catch (Exception e) {
                    result.add(e.toString());
                }
            });
            t.start();
            Thread.sleep(100); // let it block in poll()
            sub.close();
            assertThat(result.poll(2, TimeUnit.SECONDS)).isEqualTo("null");
            t.join(1000);
            assertThat(t.isAlive()).isFalse();
        }
    }
}
