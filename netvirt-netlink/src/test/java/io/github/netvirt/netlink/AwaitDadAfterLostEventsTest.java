package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A wait for DAD whose subscription lost events (ENOBUFS) reads the addresses again and goes on
 * waiting: it threw ENOBUFS to its caller (helper I, s46). The address stays tentative while its
 * veth has no carrier; 120 000 address changes on the same handle overflow the queue, the waiting
 * thread held on the handle's lock from the first of them to the last.
 */
@RequiresRoot
class AwaitDadAfterLostEventsTest extends OneNamespace {
    private static final int CHANGES = 120_000;

    @Test
    void awaitDadReadsTheAddressesAgainAfterLostEvents() throws Exception {
        h.linkAdd(LinkSpec.veth("jIv0", "jIv1"));
        h.linkSetUp("jIv0"); // its peer down: no carrier, so DAD waits
        int index = h.linkIndex("jIv0");
        IpPrefix address = IpPrefix.parse("fd00:1::1/64");
        h.addrAdd("jIv0", address);
        CompletableFuture<Void> wait =
                CompletableFuture.runAsync(() -> h.awaitDad(index, address, Duration.ofSeconds(30)));
        Thread.sleep(500); // subscribed and waiting
        assertThat(wait).isNotDone();
        NetlinkBatch batch = h.batch();
        AddressSpec other =
                AddressSpec.of("jIv0", IpPrefix.parse("fd00:2::1/128")).noDad();
        for (int i = 0; i < CHANGES / 2; i++) {
            batch.addrAdd(other).addrDel(other);
        }
        batch.execute();
        h.linkSetUp("jIv1"); // carrier: DAD runs
        wait.get(30, TimeUnit.SECONDS);
        assertThat(h.addrList())
                .filteredOn(a -> a.prefix().equals(address))
                .singleElement()
                .matches(a -> !a.isTentative());
    }
}
