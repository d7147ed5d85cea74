package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.RequiresRoot;
import org.junit.jupiter.api.Test;

/**
 * {@code addrAdd(spec, added)} refuses a null {@code added} before the request goes, as
 * {@code linkAdd(spec, made)} and {@code routeAdd(spec, added)} refuse theirs: it added the address
 * and ran nothing (helper C's audit, s46).
 */
@RequiresRoot
class AddrAddWithANullCallbackTest extends OneNamespace {
    @Test
    void aNullCallbackIsRefusedAndNothingIsAdded() {
        IpPrefix p = IpPrefix.parse("10.5.0.1/24");
        assertThatThrownBy(() -> h.addrAdd(AddressSpec.of("lo", p), null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("added");
        assertThatThrownBy(() -> h.batch().addrAdd(AddressSpec.of("lo", p), null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("added");
        assertThat(h.addrList()).noneMatch(a -> a.prefix().equals(p));
    }
}
