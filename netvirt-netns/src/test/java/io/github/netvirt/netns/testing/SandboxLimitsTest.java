package io.github.netvirt.netns.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.sys.SyscallException;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class SandboxLimitsTest {
    private static final SyscallException TUN = SyscallException.of("open /dev/net/tun", Errno.EACCES.code());

    @Test
    void onlyDevNetTunRefusedInASandboxBecomesASkip() {
        Throwable wrapped = new IllegalStateException("apply failed", TUN);
        assertThat(SandboxLimits.translate(wrapped, true))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("/dev/net/tun is mode 0600")
                .hasMessageContaining("open /dev/net/tun: EACCES");
        assertThat(SandboxLimits.translate(wrapped, false)).isSameAs(wrapped);
        SyscallException other = SyscallException.of("open /run/netns/x", Errno.EACCES.code());
        assertThat(SandboxLimits.translate(other, true)).isSameAs(other);
        SyscallException eperm = SyscallException.of("open /dev/net/tun", Errno.EPERM.code());
        assertThat(SandboxLimits.translate(eperm, true)).isSameAs(eperm);
    }
}
