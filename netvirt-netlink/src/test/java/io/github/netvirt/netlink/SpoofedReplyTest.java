package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netns.internal.LibC;
import io.github.netvirt.netns.internal.Sys;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * Replies come from the kernel (sender port 0): a message another netlink socket of the namespace
 * sends to the handle's port, however it fills its header, is no answer to the handle's requests.
 */
@RequiresRoot
class SpoofedReplyTest extends OneNamespace {

    @Test
    void anAckSentByAnotherSocketIsNotTheKernels() throws Exception {
        int other = ns.inside(() -> Sys.socket(LibC.AF_NETLINK, LibC.SOCK_RAW, Nl.NETLINK_ROUTE));
        try {
            h.startSequenceAfter(100);
            // a success ack for the next request (seq 101), claiming the kernel's port 0
            ByteBuffer ack =
                    ByteBuffer.allocate(Nl.NLMSG_HDRLEN + 4 + Nl.NLMSG_HDRLEN).order(ByteOrder.nativeOrder());
            ack.putInt(0, ack.capacity())
                    .putShort(4, (short) Nl.NLMSG_ERROR)
                    .putShort(6, (short) Nl.NLM_F_CAPPED)
                    .putInt(8, 101)
                    .putInt(12, 0)
                    .putInt(Nl.NLMSG_HDRLEN, 0)
                    .putInt(Nl.NLMSG_HDRLEN + 4, Nl.NLMSG_HDRLEN);
            ByteBuffer to = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder());
            to.putShort(0, (short) LibC.AF_NETLINK).putInt(4, h.portId());
            LibC.sendto(other, ack.array(), ack.capacity(), 0, to.array(), 12);

            assertThatThrownBy(() -> h.linkSetMtu(999_999, 1400))
                    .isInstanceOf(NetlinkException.class)
                    .hasMessageContaining("ENODEV");
        } finally {
            Sys.closeQuietly(other);
        }
    }
}
