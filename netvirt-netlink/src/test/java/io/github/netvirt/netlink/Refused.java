package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.sys.Errno;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** How tests assert that the kernel refused a request. */
final class Refused {
    private Refused() {}

    /**
     * Asserts that {@code call} throws a {@link NetlinkException} with one of {@code errnos} (the
     * exception's message names a mismatch), and returns the assertion for more.
     */
    static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(ThrowingCallable call, Errno... errnos) {
        return assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        NetlinkException.class,
                        e -> assertThat(e.errnoConstant()).as(e.getMessage()).isIn((Object[]) errnos));
    }
}
