package io.github.netvirt.netlink;

import static io.github.netvirt.netlink.Refused.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlWriter;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.LibC;
import io.github.netvirt.netns.internal.Sys;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A datagram from the kernel that cannot be split into messages is a failed exchange like any other:
 * a {@link NetlinkException} with EBADMSG. rtnetlink always frames what it sends; such a datagram
 * comes from the uevent socket instead, which sends what a root process writes to it, from port 0,
 * as it is (after the writer's header, "SEQNUM=n" appended), to its multicast group 1.
 */
@RequiresRoot
class MalformedDatagramTest {
    static final int NETLINK_KOBJECT_UEVENT = 15;
    static final int UEVENT_GROUP = 1;
    /** Any type past the control messages, which the kernel answers itself. */
    static final int UEVENT_TYPE = 0x10;

    NetNamespace ns;

    @BeforeEach
    void openNamespace() {
        ns = NetNamespace.ephemeral();
    }

    @AfterEach
    void closeNamespace() {
        ns.close();
    }

    /** A uevent socket in the namespace, in the group that hears what is written to the kernel. */
    private NetlinkSocket hearing() {
        NetlinkSocket s = NetlinkSocket.openProtocol(ns, NETLINK_KOBJECT_UEVENT);
        try {
            s.addMembership(UEVENT_GROUP);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** An nlmsghdr that claims {@code nlmsgLen} bytes, followed by nothing. */
    private static byte[] header(int nlmsgLen) {
        ByteBuffer b = ByteBuffer.allocate(Nl.NLMSG_HDRLEN).order(ByteOrder.nativeOrder());
        b.putInt(0, nlmsgLen).putShort(4, (short) Nl.RTM_NEWLINK);
        return b.array();
    }

    /** A well-formed RTM_NEWLINK of link {@code name}. */
    private static byte[] newLink(String name) {
        NlWriter w = new NlWriter(64);
        int m = w.begin(Nl.RTM_NEWLINK, 0, 0, 0);
        w.ifinfomsg(0, 1, 7, 0, 0);
        w.string(Nl.IFLA_IFNAME, name);
        w.end(m);
        return w.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Has the kernel send {@code datagram} (followed by its SEQNUM) to the uevent group of the namespace. */
    private void broadcast(byte[] datagram) throws Exception {
        int fd = ns.inside(() -> Sys.socket(LibC.AF_NETLINK, LibC.SOCK_RAW, NETLINK_KOBJECT_UEVENT));
        try {
            NlWriter w = new NlWriter(64);
            int m = w.begin(UEVENT_TYPE, Nl.NLM_F_REQUEST, 1, 0);
            w.raw(datagram);
            w.end(m);
            byte[] msg = w.toByteArray();
            ByteBuffer kernel = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder());
            kernel.putShort(0, (short) LibC.AF_NETLINK);
            assertThat(LibC.sendto(fd, msg, msg.length, 0, kernel.array(), 12)).isEqualTo(msg.length);
        } finally {
            Sys.closeQuietly(fd);
        }
    }

    @Test
    void aTransactionReportsItAsAFailedExchange() {
        try (NetlinkSocket s = hearing()) {
            Exchange x = new Exchange(s, "test");
            try {
                for (int len : new int[] {9999, 8, 0}) {
                    // the kernel sends the request's payload to the group, where this socket hears it before the ack
                    Request r = Request.of(UEVENT_TYPE, Nl.NLM_F_ACK, () -> "uevent", (w, names) -> w.raw(header(len)));
                    assertRefused(
                                    () -> x.transact(
                                            List.of(r), Duration.ofSeconds(2).toNanos()),
                                    Errno.EBADMSG)
                            .hasMessageContaining("nlmsg_len");
                }
            } finally {
                x.release();
            }
        }
    }

    @Test
    void aSubscriptionReturnsTheEventsBeforeItThenReportsIt() throws Exception {
        try (EventSubscription sub = new EventSubscription(hearing(), "test")) {
            String name = TestNames.unique("fa");
            broadcast(concat(newLink(name), header(9999)));
            NetlinkEvent first = sub.poll(2, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            assertThat(first.link().name()).isEqualTo(name);
            assertRefused(() -> sub.poll(2, TimeUnit.SECONDS), Errno.EBADMSG).hasMessageContaining("nlmsg_len 9999");
            broadcast(newLink(name));
            assertThat(sub.poll(2, TimeUnit.SECONDS).link().name())
                    .as("the subscription reads on")
                    .isEqualTo(name);
        }
    }

    @Test
    void aListenerIsTold() throws Exception {
        try (EventSubscription sub = new EventSubscription(hearing(), "test")) {
            LinkedBlockingQueue<NetlinkEvent> events = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<NetlinkException> errors = new LinkedBlockingQueue<>();
            sub.listen(events::add, errors::add);
            broadcast(header(8));
            NetlinkException e = errors.poll(5, TimeUnit.SECONDS);
            assertThat(e).as("onError is called").isNotNull();
            assertThat(e.errnoConstant()).isEqualTo(Errno.EBADMSG);
            String name = TestNames.unique("fa");
            broadcast(newLink(name));
            assertThat(events.poll(5, TimeUnit.SECONDS).link().name())
                    .as("the listener listens on")
                    .isEqualTo(name);
        }
    }
}
