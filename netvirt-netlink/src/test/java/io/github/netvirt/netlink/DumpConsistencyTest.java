package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A dump that spans many datagrams while another socket changes the addresses is flagged
 * NLM_F_DUMP_INTR by the kernel; the handle restarts it and returns a complete snapshot.
 */
@RequiresRoot
class DumpConsistencyTest extends OneNamespace {
    @Test
    void interruptedDumpsAreRetried() throws Exception {
        NetlinkHandle reader = h;
        try (NetlinkHandle writer = NetlinkHandle.open(ns)) {
            String br = TestNames.unique("nl");
            writer.linkAdd(LinkSpec.bridge(br));
            int index = writer.linkIndex(br);
            NetlinkBatch batch = writer.batch();
            int n = 1500;
            for (int i = 0; i < n; i++) {
                batch.addrAdd(
                        AddressSpec.of(index, IpPrefix.parse("10.80." + (i / 250) + "." + (i % 250 + 1) + "/32")));
            }
            batch.execute();
            IpPrefix churn = IpPrefix.parse("10.81.0.1/32");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> writerFailed = new AtomicReference<>();
            // changes with pauses: some dumps are interrupted and restarted, the restarts complete
            Thread t = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        writer.addrAdd(AddressSpec.of(index, churn));
                        Thread.sleep(2);
                        writer.addrDel(AddressSpec.of(index, churn));
                        Thread.sleep(2);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException | Error e) {
                    writerFailed.set(e);
                }
            });
            t.start();
            int complete = 0;
            int starved = 0;
            // bounded by time, not tries: on a loaded machine a slowed reader or a starved writer needs more
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            try {
                while ((reader.dumpRetries() == 0 || complete < 5) && System.nanoTime() < deadline) {
                    List<Address> all;
                    try {
                        all = reader.addrList();
                    } catch (NetlinkException e) {
                        // under non-stop changes a dump can be interrupted every time: reported, not hidden
                        assertThat(e.is(Errno.EINTR)).as(e.getMessage()).isTrue();
                        starved++;
                        continue;
                    }
                    // a complete snapshot: every stable address, with or without the churning one
                    assertThat(all.stream()
                                    .filter(a ->
                                            a.index() == index && !a.prefix().equals(churn)))
                            .hasSize(n);
                    complete++;
                }
            } finally {
                stop.set(true);
                t.join();
            }
            // a writer that died makes no changes: its failure, not "no dump restarted", is the cause
            assertThat(writerFailed.get()).as("the writer's failure").isNull();
            assertThat(reader.dumpRetries())
                    .as("dumps restarted after NLM_F_DUMP_INTR")
                    .isPositive();
            assertThat(complete).as("complete dumps (%d starved)", starved).isGreaterThanOrEqualTo(5);
        }
    }
}
