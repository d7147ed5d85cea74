package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pool of direct buffers that handles take when they open and give back when they close. */
class BufferPoolTest {
    private static final int RECV = NetlinkSocket.RECV_BUFFER;
    private static final int REQUESTS = Exchange.REQUEST_BUFFER;
    // pools of their own: the shared ones serve the handles of tests running at the same time
    private final BufferPool receive = new BufferPool(RECV, 32);
    private final BufferPool requests = new BufferPool(REQUESTS, 32);

    @Test
    void handlesOpenedAgainGetTheBuffersTheirPredecessorsGaveBack() {
        List<ByteBuffer> first = takeForHandles(3);
        // closed in another order than opened: the last handle first, its request buffer first
        for (int i = first.size() - 1; i >= 0; i--) {
            give(first, i);
        }
        List<ByteBuffer> second = takeForHandles(3);
        try {
            for (ByteBuffer b : second) {
                assertThat(first.stream().anyMatch(f -> f == b))
                        .as("a reopened handle's buffer is one given back (not a fresh allocation)")
                        .isTrue();
            }
            for (int i = 0; i < second.size(); i += 2) {
                assertThat(second.get(i).capacity()).isEqualTo(RECV);
                assertThat(second.get(i + 1).capacity()).isEqualTo(REQUESTS);
            }
        } finally {
            for (int i = 0; i < second.size(); i++) {
                give(second, i);
            }
        }
    }

    /** What {@code handles} handles take as they open: a receive buffer and a request buffer each. */
    private List<ByteBuffer> takeForHandles(int handles) {
        List<ByteBuffer> out = new ArrayList<>();
        for (int i = 0; i < handles; i++) {
            out.add(receive.take());
            out.add(requests.take());
        }
        return out;
    }

    /** What a closing handle does with buffer {@code i} of {@link #takeForHandles}: each to its own pool. */
    private void give(List<ByteBuffer> buffers, int i) {
        (i % 2 == 0 ? receive : requests).give(buffers.get(i));
    }

    @Test
    void aGrownBufferIsKeptAndASmallerOneIsNot() {
        ByteBuffer grown = ByteBuffer.allocateDirect(REQUESTS * 4);
        requests.give(ByteBuffer.allocateDirect(REQUESTS / 2));
        requests.give(grown);
        assertThat(requests.take()).isSameAs(grown);
        ByteBuffer fresh = requests.take();
        assertThat(fresh.capacity()).isEqualTo(REQUESTS);
        assertThat(fresh.isDirect()).isTrue();
    }
}
