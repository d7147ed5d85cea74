package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request that cannot be encoded fails its batch before anything of it is sent, however many
 * datagrams the batch needs: 3 requests fit in one, 300 in two ({@link Exchange#CHUNK_REQUESTS}).
 */
@RequiresRoot
class UnencodableRequestTest extends OneNamespace {
    @ParameterizedTest
    @ValueSource(ints = {3, Exchange.CHUNK_REQUESTS + 44})
    void nothingOfTheBatchIsMade(int bridges) {
        String prefix = TestNames.unique("hUe");
        NetlinkBatch b = h.batch();
        for (int i = 0; i < bridges; i++) {
            b.linkAdd(LinkSpec.bridge(prefix + i));
        }
        assertUnencodableFailsAll(b);
    }

    private void assertUnencodableFailsAll(NetlinkBatch b) {
        b.submit(
                Request.of(Nl.RTM_NEWLINK, 0, () -> "unencodable", (w, r) -> {
                    throw new IllegalArgumentException("cannot encode this one");
                }),
                List.of());
        assertThatThrownBy(b::execute).hasMessageContaining("cannot encode this one");
        assertThat(h.linkList()).extracting(Link::name).containsExactly("lo");
    }
}
