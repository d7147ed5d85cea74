package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlMessage;
import io.github.netvirt.netlink.codec.NlReader;
import io.github.netvirt.netns.sys.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** A malformed NLMSG_ERROR is reported as a NetlinkException, like every other failure. */
class AckErrorTest {

    /** NLMSG_ERROR {error, echoed header claiming {@code origLen} bytes} with NLM_F_ACK_TLVS, uncapped. */
    static NlMessage ack(int payload, int error, int origLen, int flags) {
        ByteBuffer b = ByteBuffer.allocate(Nl.NLMSG_HDRLEN + payload).order(ByteOrder.nativeOrder());
        b.putInt(0, Nl.NLMSG_HDRLEN + payload)
                .putShort(4, (short) Nl.NLMSG_ERROR)
                .putShort(6, (short) flags);
        if (payload >= 4) {
            b.putInt(Nl.NLMSG_HDRLEN, error);
        }
        if (payload >= 8) {
            b.putInt(Nl.NLMSG_HDRLEN + 4, origLen);
        }
        return NlReader.parseAll(b.array()).get(0);
    }

    @Test
    void anEchoLongerThanTheMessageKeepsTheKernelsErrno() {
        NlMessage m = ack(Nl.NLMSGERR_LEN, -Errno.EINVAL.code(), 4000, Nl.NLM_F_ACK_TLVS);
        NetlinkException e = Exchange.ackError(m, () -> "RTM_NEWLINK x");
        assertThat(e.errno()).isEqualTo(Errno.EINVAL.code());
        assertThat(e.getMessage()).startsWith("RTM_NEWLINK x: EINVAL").contains("malformed extended ack");
    }

    @Test
    void anAckWithoutErrnoIsEbadmsg() {
        NetlinkException e = Exchange.ackError(ack(2, 0, 0, 0), () -> "RTM_NEWLINK x");
        assertThat(e).isNotNull();
        assertThat(e.errno()).isEqualTo(Errno.EBADMSG.code());
        assertThat(e.getMessage()).contains("malformed");
    }

    @Test
    void aWellFormedAckStillParses() {
        assertThat(Exchange.ackError(ack(Nl.NLMSGERR_LEN, 0, Nl.NLMSG_HDRLEN, 0), () -> "x"))
                .isNull();
        NetlinkException e = Exchange.ackError(
                ack(Nl.NLMSGERR_LEN, -Errno.ENODEV.code(), Nl.NLMSG_HDRLEN, Nl.NLM_F_CAPPED), () -> "x");
        assertThat(e.isNoDevice()).isTrue();
    }
}
