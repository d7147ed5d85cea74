package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.RequiresRoot;
import org.junit.jupiter.api.Test;

/**
 * {@code linkSync(name)} checks the name as every other call naming a link does: the ioctl's 16-byte
 * {@code ifr_name} took a 16-byte name cut to its first 15 bytes, so it synced another link, the one
 * of those 15 bytes, and answered true (helper C's audit, s46).
 */
@RequiresRoot
class LinkSyncOfABadNameTest extends OneNamespace {
    @Test
    void aSixteenByteNameIsRefusedNotCutToAnotherLinksName() {
        h.linkAdd(LinkSpec.bridge("abcdefghijklmno"));
        assertThatThrownBy(() -> h.linkSync("abcdefghijklmnoX"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("abcdefghijklmnoX")
                .hasMessageContaining("16 bytes");
    }

    @Test
    void namesTheKernelCouldNotHaveAreRefused() {
        for (String name : new String[] {"", "a/b", "a b", ".."}) {
            assertThatThrownBy(() -> h.linkSync(name))
                    .as(name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not an interface name");
        }
    }
}
