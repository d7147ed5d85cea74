package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.RequiresRoot;
import org.junit.jupiter.api.Test;

/**
 * {@code linkAdd(spec, made)} and {@code routeAdd(spec, added)} given a null callback refuse it before the
 * request goes, as any null argument: not once the kernel has made the link or route (helper C's audit,
 * s46).
 */
@RequiresRoot
class EchoedAddWithoutACallbackTest extends OneNamespace {
    @Test
    void aLinkAddWithANullCallbackMakesNothing() {
        assertThatThrownBy(() -> h.linkAdd(LinkSpec.bridge("br0"), null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("made");
        assertThat(h.linkGet("br0")).isEmpty();
    }

    @Test
    void aBatchedLinkAddWithANullCallbackMakesNothing() {
        NetlinkBatch batch = h.batch();
        assertThatThrownBy(() -> batch.linkAdd(LinkSpec.bridge("br1")).linkAdd(LinkSpec.bridge("br2"), null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("made");
        batch.execute();
        assertThat(h.linkGet("br1")).isPresent();
        assertThat(h.linkGet("br2")).isEmpty();
    }

    @Test
    void aRouteAddWithANullCallbackMakesNothing() {
        h.linkSetUp("lo");
        h.addrAdd("lo", IpPrefix.parse("10.5.0.1/24"));
        IpPrefix dst = IpPrefix.parse("10.6.0.0/24");
        assertThatThrownBy(() -> h.routeAdd(RouteSpec.to(dst).dev("lo"), null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("added");
        assertThat(h.routeList()).noneMatch(r -> r.destination().equals(dst));
    }
}
