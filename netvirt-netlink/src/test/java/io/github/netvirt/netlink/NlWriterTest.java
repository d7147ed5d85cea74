package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlMessage;
import io.github.netvirt.netlink.codec.NlReader;
import io.github.netvirt.netlink.codec.NlWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The writer's buffer: what is sent is what was written, across growth and reuse. No root needed. */
class NlWriterTest {
    /** One RTM_NEWLINK with {@code attrs} u32 attributes (type 1000 + i, value i): 8 bytes each. */
    private static void message(NlWriter w, int seq, int attrs) {
        int m = w.begin(Nl.RTM_NEWLINK, Nl.NLM_F_REQUEST, seq, 0);
        w.ifinfomsg(0, 0, 0, 0, 0);
        for (int i = 0; i < attrs; i++) {
            w.u32(1000 + i, i);
        }
        w.end(m);
    }

    private static byte[] sent(NlWriter w) {
        ByteBuffer b = w.buffer();
        assertThat(b.position()).isEqualTo(w.position());
        byte[] out = new byte[w.position()];
        b.duplicate().flip().get(out);
        return out;
    }

    @Test
    void theBufferHoldsWhatWasWrittenAcrossGrowthAndReuse() {
        NlWriter w = new NlWriter(64);
        message(w, 7, 3);
        message(w, 8, 1000); // far past the first 64 bytes
        byte[] bytes = sent(w);
        assertThat(bytes).isEqualTo(w.toByteArray()).hasSize(2 * (16 + 16) + 3 * 8 + 1000 * 8);
        assertThat(w.buffer().isDirect()).isTrue();
        assertThat(w.buffer().capacity()).isGreaterThanOrEqualTo(bytes.length);

        List<NlMessage> msgs = NlReader.parseAll(bytes);
        assertThat(msgs).hasSize(2);
        assertThat(msgs.get(1).seq()).isEqualTo(8);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        int last = msgs.get(0).length() + 32 + 999 * 8; // the last attribute of the second message
        assertThat(b.getShort(last + 2)).isEqualTo((short) 1999);
        assertThat(b.getInt(last + 4)).isEqualTo(999);

        w.reset();
        message(w, 9, 0);
        assertThat(sent(w)).hasSize(32).isEqualTo(w.toByteArray());
        assertThat(NlReader.parseAll(sent(w)).get(0).seq()).isEqualTo(9);
    }

    @Test
    void truncateDropsWhatFollows() {
        NlWriter w = new NlWriter(64);
        message(w, 1, 1);
        int mark = w.position();
        message(w, 2, 5);
        w.truncate(mark);
        assertThat(sent(w)).hasSize(mark);
        assertThat(NlReader.parseAll(sent(w))).hasSize(1);
    }
}
