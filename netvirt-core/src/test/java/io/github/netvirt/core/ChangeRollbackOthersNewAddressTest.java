package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A change whose address someone else adds to the device first (after the change has listed the
 * addresses there, before its own add) fails with EEXIST, and its rollback leaves the other's
 * address: it deletes only the addresses its own adds made.
 */
@RequiresRoot
class ChangeRollbackOthersNewAddressTest {
    private final String p = TestNames.unique("gI") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void aFailedChangeKeepsTheAddressAnotherAddedBeforeIt() {
        try (Topology t = RouteMetricTableValidationTest.twoHosts().prefix(p).apply()) {
            // the change makes namespace c first: there, someone adds the change's address to a/e0
            ApplyOptions other =
                    new ApplyOptions(-1, made -> Ip.ok("-n", p + "a", "address", "add", "10.100.9.1/24", "dev", "e0"));
            assertThatThrownBy(() -> t.change()
                            .ns("c")
                            .ns("a")
                            .dev("e0")
                            .addr("10.100.8.1/24")
                            .addr("10.100.9.1/24")
                            .apply(other))
                    .isInstanceOfSatisfying(
                            ApplyException.class,
                            e -> assertThat(e.errnoConstant()).isEqualTo(Errno.EEXIST));

            String addresses = Ip.ok("-n", p + "a", "-4", "-o", "address", "show", "dev", "e0");
            assertThat(addresses).as("the other's address").contains("10.100.9.1/24");
            assertThat(addresses).as("the change's own, rolled back").doesNotContain("10.100.8.1/24");
            assertThat(t.spec().findNamespace("c")).isEmpty();
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }
}
