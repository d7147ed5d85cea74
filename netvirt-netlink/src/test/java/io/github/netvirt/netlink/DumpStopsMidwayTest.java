package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.netvirt.netlink.codec.MalformedMessageException;
import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlMessage;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A dump that stops before its end (here: an entry that does not decode, in the first of several
 * datagrams) leaves the kernel's dump running; the handle's next dump, get or batch must still work.
 */
@RequiresRoot
class DumpStopsMidwayTest extends OneNamespace {
    static final int LINKS = 80; // a link dump of ~80 bridges spans several 32 KiB datagrams

    List<String> names = new ArrayList<>();

    @BeforeEach
    void setUp() {
        NetlinkBatch b = h.batch();
        for (int i = 0; i < LINKS; i++) {
            String name = TestNames.unique("hBd");
            names.add(name);
            b.linkAdd(LinkSpec.bridge(name));
        }
        b.execute();
    }

    /** Decodes links, failing on the {@code bad}-th as a decoder meeting an unexpected layout would. */
    static Function<NlMessage, Link> failingAt(int bad) {
        int[] seen = {0};
        return m -> {
            if (m.type() != Nl.RTM_NEWLINK) {
                return null;
            }
            if (++seen[0] == bad) {
                throw new MalformedMessageException("entry " + bad + " does not decode (test)");
            }
            return LinkCodec.decode(m);
        };
    }

    /** Runs a dump that stops at its third entry; checks that it failed for that reason (not EBUSY). */
    private NetlinkException failedDump() {
        return failedDump(3);
    }

    private NetlinkException failedDump(int bad) {
        NetlinkException e = catchThrowableOfType(
                () -> h.dump(Nl.RTM_GETLINK, LinkCodec::writeDump, failingAt(bad), "RTM_GETLINK dump"),
                NetlinkException.class);
        assertThat(e).as("a failed decode is reported as a NetlinkException").isNotNull();
        assertThat(e.errno()).as(e.getMessage()).isEqualTo(Errno.EBADMSG.code());
        return e;
    }

    @Test
    void theNextDumpSucceeds() {
        NetlinkException e = failedDump();
        assertThat(e.getCause()).isInstanceOf(MalformedMessageException.class);

        assertThat(h.linkList())
                .extracting(Link::name)
                .containsAll(names)
                .contains("lo")
                .hasSize(LINKS + 1);
        assertThat(h.addrList()).extracting(Address::prefix).contains(IpPrefix.parse("127.0.0.1/8"));
    }

    @Test
    void getsAndBatchesAfterAStoppedDump() {
        failedDump();
        assertThat(h.linkGet(names.get(7))).isPresent();
        failedDump();
        h.batch()
                .linkSetMtu(names.get(0), 1400)
                .addrAdd(names.get(1), IpPrefix.parse("10.79.0.1/24"))
                .execute();
        failedDump();
        h.linkSetMtu(names.get(2), 1300);
        assertThat(h.link(names.get(0)).mtu()).isEqualTo(1400);
        assertThat(h.link(names.get(2)).mtu()).isEqualTo(1300);
        assertThat(h.addrList(names.get(1)))
                .extracting(Address::prefix)
                .containsExactly(IpPrefix.parse("10.79.0.1/24"));
        assertThat(h.linkList()).hasSize(LINKS + 1);
    }

    @Test
    void aChannelsTransactionsAfterAStoppedDump() {
        try (NetlinkChannel c = NetlinkChannel.open(ns, Nl.NETLINK_ROUTE, Duration.ofSeconds(2))) {
            NetlinkException e = catchThrowableOfType(
                    () -> c.dump(Nl.RTM_GETLINK, LinkCodec::writeDump, failingAt(3), "RTM_GETLINK dump"),
                    NetlinkException.class);
            assertThat(e.errno()).as(e.getMessage()).isEqualTo(Errno.EBADMSG.code());
            // each transaction reads what the stopped dump sent meanwhile, its NLMSG_DONE too
            for (int i = 0; i < 6; i++) {
                List<NetlinkException> acks = c.sendAll(List.of(new NetlinkChannel.Message(
                        Nl.RTM_SETLINK,
                        Nl.NLM_F_ACK,
                        "set lo up",
                        w -> w.ifinfomsg(Nl.AF_UNSPEC, 0, 1, Nl.IFF_UP, Nl.IFF_UP))));
                assertThat(acks).containsOnlyNulls();
            }
            assertThat(c.dump(Nl.RTM_GETLINK, LinkCodec::writeDump, failingAt(-1), "RTM_GETLINK dump"))
                    .hasSize(LINKS + 1);
        }
    }

    @Test
    void aDumpStoppedAtItsLastEntry() {
        failedDump(LINKS + 1);
        h.setTimeout(Duration.ofSeconds(2));
        assertThat(h.linkList()).hasSize(LINKS + 1);
        failedDump(LINKS);
        assertThat(h.linkGet("lo")).isPresent();
        assertThat(h.linkList()).hasSize(LINKS + 1);
    }
}
