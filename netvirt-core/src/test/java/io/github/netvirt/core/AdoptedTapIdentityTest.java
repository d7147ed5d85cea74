package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.NetlinkBatch;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A tap made in an adopted namespace, where the kernel chooses its ifindex, is known by its fd: when
 * someone renames it the moment it is made and another device takes its name, the apply goes on with
 * the tap's own index, and {@code quiet()} disables IPv6 on the tap, not on the other device.
 */
@RequiresRoot
class AdoptedTapIdentityTest {
    private final String p = TestNames.unique("gG") + "-";
    private final String adopted = p + "ad";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void theTapKeepsItsOwnIndex() {
        openTapTakenOver(
                false,
                k -> assertThat(k.indexed)
                        .as("the index the apply goes on with")
                        .isEqualTo(index("gGmoved"))
                        .isNotEqualTo(index("t0")));
    }

    @Test
    void quietDisablesIpv6OnTheTapAlone() {
        openTapTakenOver(true, k -> {
            assertThat(disableIpv6("t0")).as("the other device's disable_ipv6").isEqualTo(k.othersDisableIpv6);
            assertThat(disableIpv6("gGmoved")).as("the tap's disable_ipv6").isEqualTo("1");
            assertThat(k.indexed).as("the index the apply goes on with").isEqualTo(index("gGmoved"));
        });
    }

    /** The kernel of the step: once the kernel lists the tap, before the step reads anything more, it is taken over. */
    private final class Opened implements Op.Kernel {
        final Resources res;
        boolean takenOver;
        String othersDisableIpv6;
        Integer indexed;

        Opened(Resources res) {
            this.res = res;
        }

        @Override
        public Resources res() {
            if (!takenOver && Ip.ok("-n", adopted, "-j", "link", "show").contains("\"t0\"")) {
                takenOver = true;
                Ip.ok("-n", adopted, "link", "set", "t0", "name", "gGmoved");
                Ip.ok("-n", adopted, "link", "add", "t0", "type", "bridge");
                othersDisableIpv6 = disableIpv6("t0");
            }
            return res;
        }

        @Override
        public NetlinkBatch batch() {
            throw new AssertionError("a tap is opened, not batched");
        }

        @Override
        public Integer index(DeviceKey dev) {
            return null; // the kernel chooses it in an adopted namespace
        }

        @Override
        public void indexed(DeviceKey dev, int ifindex) {
            indexed = ifindex;
        }

        @Override
        public int group(String ns) {
            return 0;
        }
    }

    /**
     * Carries out the step that opens tap t0 of adopted namespace app ({@code quiet()} or not), renamed
     * gGmoved by someone the moment it is made and its name taken by a bridge; then {@code check}, while
     * the tap is still open; then closes it (which deletes it) and the namespace handles.
     */
    private void openTapTakenOver(boolean quiet, Consumer<Opened> check) {
        Ip.ok("netns", "add", adopted);
        TopologyBuilder b = Topology.create().prefix(p).adopt("app", adopted).tap("t0");
        if (quiet) {
            b.quiet();
        }
        TopologySpec spec = b.spec();
        LinkAddStep add = new LinkAddStep(spec, spec.device("app", "t0"), false, false);
        Resources res = new Resources();
        try {
            Adoptions.open(spec, res);
            Opened k = new Opened(res);
            add.carryOut(k);
            assertThat(k.takenOver)
                    .as("taken over once the kernel listed the tap")
                    .isTrue();
            assertThat(res.taps).containsKey(new DeviceKey("app", "t0"));
            check.accept(k);
        } finally {
            List<RuntimeException> errors = res.teardown(); // closes the tap, which deletes it
            assertThat(errors).isEmpty();
        }
        assertThat(Ip.ok("-n", adopted, "-j", "link", "show")).doesNotContain("gGmoved");
    }

    private int index(String dev) {
        String json = Ip.ok("-n", adopted, "-j", "link", "show", "dev", dev);
        return Integer.parseInt(json.replaceAll("(?s).*?\"ifindex\":(\\d+).*", "$1"));
    }

    private String disableIpv6(String dev) {
        return Ip.ok("netns", "exec", adopted, "cat", "/proc/sys/net/ipv6/conf/" + dev + "/disable_ipv6")
                .trim();
    }
}
