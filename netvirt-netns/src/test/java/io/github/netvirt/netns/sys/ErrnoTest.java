package io.github.netvirt.netns.sys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Errors are named, not numbered: those the kernel's netlink and the calls netvirt makes return too. */
class ErrnoTest {

    @Test
    void kernelErrorsAreNamed() {
        // RTM_NEWLINK of a bridge enslaved to a bridge: "errno 40: Can not enslave a bridge to a bridge"
        assertThat(Errno.describe(-40)).isEqualTo("ELOOP (40, Too many levels of symbolic links)");
        assertThat(Errno.describe(31)).startsWith("EMLINK (31, ");
        assertThat(Errno.describe(33)).startsWith("EDOM (33, ");
        // the kernel's own ENOTSUPP, which tc and nf_tables hand to user space
        assertThat(Errno.describe(524)).isEqualTo("ENOTSUPP (524, Operation is not supported)");
        assertThat(Errno.describe(4000)).isEqualTo("errno 4000");
        assertThat(Errno.of(40)).isEqualTo(Errno.ELOOP);
    }
}
