package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.MacAddress;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.Sysctls;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.Sandbox;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RequiresRoot
class TapDeviceTest {
    private NetNamespace ns;

    @BeforeEach
    void namespace() {
        ns = NetNamespace.ephemeral();
    }

    @AfterEach
    void close() {
        ns.close();
    }

    @Test
    void templateIsResolvedAndTheKernelSeesATapWithoutPacketInfo() throws Exception {
        String name;
        try (TapDevice tap = TapDevice.tap("tp%d").open(ns)) {
            name = tap.name();
            assertThat(name).matches("tp[0-9]+");
            assertThat(tap.kind()).isEqualTo(DeviceKind.TAP);
            assertThat(tap.packetInfo()).isFalse();
            String json = Kernel.link(ns, name);
            assertThat(json)
                    .contains(
                            "\"ifname\":\"" + name + "\"",
                            "\"info_kind\":\"tun\"",
                            "\"type\":\"tap\"",
                            "\"pi\":false",
                            "\"multi_queue\":false",
                            "\"persist\":false",
                            "\"link_type\":\"ether\"");
        }
        assertThat(Kernel.exists(ns, name))
                .as("a non-persistent tap dies with its fd")
                .isFalse();
    }

    @Test
    void aTapWithoutIpv6HasItOffAlready() throws Exception {
        try (TapDevice tap = TapDevice.tap("tq%d").open(ns)) {
            tap.setIpv6Disabled(true);
            assertThat(Sysctls.of(ns).ipv6Disabled(tap.name())).isTrue();
            tap.setMtu(1000); // below IPv6's minimum: the kernel takes the device's IPv6 away, settings and all
            tap.setIpv6Disabled(true);
            assertThatThrownBy(() -> tap.setIpv6Disabled(false))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("has no IPv6");
        }
    }

    @Test
    void defaultTemplateAndTun() throws Exception {
        try (TapDevice tun = TapDevice.of(DeviceKind.TUN).open(ns);
                TapDevice pi = TapDevice.tun("tpi%d").packetInfo(true).open(ns)) {
            assertThat(tun.name()).matches("tun[0-9]+");
            assertThat(Kernel.link(ns, tun.name()))
                    .contains("\"type\":\"tun\"", "\"pi\":false", "\"link_type\":\"none\"");
            assertThat(pi.packetInfo()).isTrue();
            assertThat(Kernel.link(ns, pi.name())).contains("\"type\":\"tun\"", "\"pi\":true");
        }
    }

    @Test
    void persistentDeviceWithOwnerAndGroupOutlivesItsFdUntilUnmadePersistent() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(
                Sandbox.current().active(),
                "SKIPPED: in a user-namespace sandbox uid 1234 has no mapping: TUNSETOWNER answers EINVAL");
        String name = "tppersist";
        try (TapDevice tap =
                TapDevice.tap(name).persistent(true).owner(1234).group(4321).open(ns)) {
            assertThat(tap.isPersistent()).isTrue();
            assertThat(Kernel.link(ns, name)).contains("\"persist\":true", "\"user\":1234", "\"group\":4321");
        }
        assertThat(Kernel.exists(ns, name)).as("persistent tap after close").isTrue();
        try (TapDevice again = TapDevice.tap(name).open(ns)) {
            assertThat(again.isPersistent())
                    .as("attached to a persistent device")
                    .isTrue();
            again.setPersistent(false);
            assertThat(Kernel.link(ns, name)).contains("\"persist\":false");
        }
        assertThat(Kernel.exists(ns, name)).isFalse();
    }

    @Test
    void secondAttachIsBusyAndTheFirstKeepsWorking() throws Exception {
        try (TapDevice tap = TapDevice.tap("tpbusy").open(ns)) {
            assertThatThrownBy(() -> TapDevice.tap("tpbusy").open(ns))
                    .isInstanceOfSatisfying(
                            TapException.class,
                            e -> assertThat(e.is(Errno.EBUSY)).isTrue())
                    .hasMessageContaining("tap tpbusy")
                    .hasMessageContaining("busy")
                    .hasMessageContaining("EBUSY");
            assertThat(tap.isOpen()).isTrue();
            assertThat(Kernel.exists(ns, "tpbusy")).isTrue();
        }
    }

    /**
     * Opens {@code first} (persistent), closes it, then expects {@code second}, on the same device, to
     * fail with {@code errno} and {@code message}; the device is gone afterwards.
     */
    private void assertSecondOpenRefused(
            TapDevice.Builder first, String name, TapDevice.Builder second, Errno errno, String message)
            throws Exception {
        try (TapDevice tap = first.persistent(true).open(ns)) {
            tap.close();
            assertThat(Kernel.exists(ns, name)).isTrue();
            assertThatThrownBy(() -> second.open(ns))
                    .isInstanceOfSatisfying(
                            TapException.class, e -> assertThat(e.is(errno)).isTrue())
                    .hasMessageContaining(message);
            unpersist(name);
        }
        assertThat(Kernel.exists(ns, name)).isFalse();
    }

    @Test
    void createOnlyRefusesAnExistingDevice() throws Exception {
        assertSecondOpenRefused(
                TapDevice.tap("tpexcl").createOnly(true),
                "tpexcl",
                TapDevice.tap("tpexcl").createOnly(true),
                Errno.EBUSY,
                "exists");
    }

    @Test
    void aTapIsCreatedWithTheIfindexAskedFor() throws Exception {
        try (TapDevice tap = TapDevice.tap("tpidx").createOnly(true).ifindex(40).open(ns)) {
            assertThat(tap.ifindex()).isEqualTo(40);
            assertThat(Kernel.link(ns, "tpidx")).contains("\"ifindex\":40,");
            assertThatThrownBy(() -> TapDevice.tap("tpidx2").ifindex(40).open(ns))
                    .isInstanceOfSatisfying(
                            TapException.class,
                            e -> assertThat(e.is(Errno.EBUSY)).isTrue())
                    .hasMessageContaining("with ifindex 40");
            assertThat(Kernel.exists(ns, "tpidx2")).isFalse();
        }
        assertThatThrownBy(() -> TapDevice.tap("tpidx").ifindex(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mismatchedOptionsOnAnExistingDeviceAreRejected() throws Exception {
        assertSecondOpenRefused(TapDevice.tap("tpmis"), "tpmis", TapDevice.tun("tpmis"), Errno.EINVAL, "other options");
    }

    @Test
    void multiQueueDeviceTakesOneFdPerQueue() throws Exception {
        try (TapDevice q0 = TapDevice.tap("tpmq").multiQueue(true).open(ns);
                TapDevice q1 = q0.openQueue();
                TapDevice q2 = q1.openQueue()) {
            assertThat(q1.name()).isEqualTo("tpmq");
            assertThat(q2.isMultiQueue()).isTrue();
            assertThat(Kernel.link(ns, "tpmq")).contains("\"multi_queue\":true", "\"numqueues\":3");
            q1.close();
            assertThat(Kernel.link(ns, "tpmq")).contains("\"numqueues\":2");
        }
        assertThat(Kernel.exists(ns, "tpmq")).isFalse();
    }

    @Test
    void openQueueOnASingleQueueDeviceIsRefused() {
        try (TapDevice tap = TapDevice.tap("tpsq").open(ns)) {
            assertThatThrownBy(tap::openQueue)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not multi-queue");
        }
    }

    @Test
    void writingToADownDeviceIsEio() throws Exception {
        try (TapDevice tap = TapDevice.tap("tpdown").open(ns)) {
            byte[] frame = Frames.ethernet(64, Frames.MAC_B, Frames.MAC_A, 0);
            assertThatThrownBy(() -> tap.write(frame, 0, frame.length))
                    .isInstanceOfSatisfying(
                            TapIOException.class,
                            e -> assertThat(e.is(Errno.EIO)).isTrue())
                    .hasMessageContaining("tpdown")
                    .hasMessageContaining("down");
        }
    }

    @Test
    void framesShorterThanAnEthernetHeaderAreRejectedBeforeTheKernel() throws Exception {
        try (TapDevice tap = TapDevice.tap("tpshort").open(ns)) {
            tap.up();
            assertThatThrownBy(() -> tap.write(new byte[13], 0, 13))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at least 14 bytes")
                    .hasMessageContaining("got 13");
            assertThatThrownBy(() -> tap.write(ByteBuffer.allocateDirect(0)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> tap.write(new byte[70000], 0, 70000))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maximum");
            assertThatThrownBy(() -> tap.write(new byte[20], 10, 20)).isInstanceOf(IndexOutOfBoundsException.class);
            byte[] ok = Frames.ethernet(14, Frames.MAC_B, Frames.MAC_A, 0);
            assertThat(tap.write(ok, 0, 14)).isEqualTo(14);
        }
    }

    @Test
    void upDownMtuAndMacGoThroughNetlinkAndTheKernelAgrees() throws Exception {
        try (TapDevice tap = TapDevice.tap("tpcfg%d").open(ns)) {
            assertThat(tap.link().isUp()).as("a new tap is down").isFalse();
            assertThat(tap.ifindex()).isEqualTo(tap.link().index());
            tap.up();
            tap.setMtu(9000);
            MacAddress mac = MacAddress.parse("02:70:74:00:12:34");
            tap.setMac(mac);
            assertThat(Kernel.link(ns, tap.name()))
                    .contains("\"UP\"", "\"mtu\":9000", "\"address\":\"02:70:74:00:12:34\"");
            assertThat(tap.link().isUp()).isTrue();
            assertThat(tap.link().mtu()).isEqualTo(9000);
            assertThat(tap.link().mac()).isEqualTo(mac);
            tap.down();
            assertThat(Kernel.link(ns, tap.name())).doesNotContain("\"UP\"");
            byte[] frame = Frames.ethernet(64, Frames.MAC_B, Frames.MAC_A, 0);
            assertThatThrownBy(() -> tap.write(frame, 0, 64))
                    .isInstanceOf(TapIOException.class)
                    .hasMessageContaining("EIO");
            assertThatThrownBy(() -> tap.setMtu(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> tap.setMtu(65530))
                    .isInstanceOf(NetlinkException.class)
                    .hasMessageContaining("EINVAL");
            assertThatThrownBy(() -> tap.setMac(MacAddress.parse("01:00:5e:00:00:01")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("multicast");
        }
        try (TapDevice tun = TapDevice.tun("tpcfg%d").open(ns)) {
            assertThatThrownBy(() -> tun.setMac(MacAddress.parse("02:00:00:00:00:01")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no MAC");
            tun.up();
            assertThat(tun.link().isUp()).isTrue();
        }
    }

    /**
     * The tap is renamed and another tap takes its old name before the first ifindex(): the index
     * must be the first tap's (asked of the kernel by its new name), never the other's.
     */
    @Test
    void ifindexFollowsTheTapThroughARenameNotItsOldName() throws Exception {
        try (TapDevice tap = TapDevice.tap("tpren").open(ns)) {
            Kernel.ip(ns, "link", "set", "dev", "tpren", "name", "tpren2");
            try (TapDevice other = TapDevice.tap("tpren").open(ns)) {
                int tapIndex = index(Kernel.ip(ns, "-j", "link", "show", "dev", "tpren2"));
                int otherIndex = index(Kernel.ip(ns, "-j", "link", "show", "dev", "tpren"));
                assertThat(tap.ifindex()).as("the other tap is %d", otherIndex).isEqualTo(tapIndex);
                tap.up();
                assertThat(Kernel.link(ns, "tpren2")).contains("\"UP\"");
                assertThat(Kernel.link(ns, "tpren")).doesNotContain("\"UP\"");
                assertThat(other.ifindex()).isEqualTo(otherIndex);
            }
        }
    }

    /**
     * The tap is moved to another namespace and another tap takes its name in the namespace it was
     * opened in, before the first ifindex(): the device behind the fd is no longer there, so ifindex()
     * (and up()) must refuse, never take the other tap's index; the namespace fd the kernel hands out
     * to tell where the device is (TUNGETDEVNETNS) is closed again.
     */
    @Test
    void ifindexRefusesATapMovedToAnotherNamespaceWhereItsNameIsTakenNow() throws Exception {
        try (NetNamespace b = NetNamespace.ephemeral();
                TapDevice tap = TapDevice.tap("tnmv").open(ns)) {
            moveTo(b, "tnmv");
            assertThat(Kernel.exists(b, "tnmv")).isTrue();
            long nsFdsBefore = fdsOf(b);
            try (TapDevice other = TapDevice.tap("tnmv").open(ns)) {
                int otherIndex = index(Kernel.ip(ns, "-j", "link", "show", "dev", "tnmv"));
                for (int i = 0; i < 3; i++) {
                    assertThatThrownBy(tap::ifindex)
                            .as("the other tap is %d", otherIndex)
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("tap tnmv")
                            .hasMessageContaining("no longer in " + ns)
                            .hasMessageContaining("moved");
                }
                assertThatThrownBy(tap::up).isInstanceOf(IllegalStateException.class);
                assertThat(Kernel.link(ns, "tnmv")).doesNotContain("\"UP\"");
                assertThat(other.ifindex()).isEqualTo(otherIndex);
            }
            assertThat(fdsOf(b)).as("fds of the namespace the tap is in now").isEqualTo(nsFdsBefore);
        }
    }

    /** Moves {@code dev} from {@link #ns} to {@code to} with iproute2, by the pid of a process there. */
    private void moveTo(NetNamespace to, String dev) throws Exception {
        Process p = to.start(new ProcessBuilder("sleep", "60"));
        try {
            Kernel.ip(ns, "link", "set", "dev", dev, "netns", Long.toString(p.pid()));
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    /** How many fds of this JVM refer to {@code target}'s namespace. */
    private static long fdsOf(NetNamespace target) throws Exception {
        String id = target.id();
        try (java.util.stream.Stream<java.nio.file.Path> fds =
                java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return fds.filter(f -> {
                        try {
                            return java.nio.file.Files.readSymbolicLink(f)
                                    .toString()
                                    .equals(id);
                        } catch (java.io.IOException e) {
                            return false; // closed meanwhile
                        }
                    })
                    .count();
        }
    }

    private static int index(String ipJson) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("\"ifindex\":(\\d+)").matcher(ipJson);
        assertThat(m.find()).as(ipJson).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void readTimesOutAndTheDeviceStaysUsable() throws Exception {
        try (TapDevice tap =
                TapDevice.tap("tpto").readTimeout(Duration.ofMillis(50)).open(ns)) {
            byte[] buf = new byte[2048];
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> tap.read(buf, 0, buf.length))
                    .isInstanceOf(TapTimeoutException.class)
                    .hasMessageContaining("50 ms");
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(49);
            assertThatThrownBy(() -> tap.read(ByteBuffer.allocateDirect(100))).isInstanceOf(TapTimeoutException.class);
            assertThat(tap.isOpen()).isTrue();
        }
    }

    @Test
    void closedDeviceRefusesIo() throws Exception {
        TapDevice tap = TapDevice.tap("tpcl").open(ns);
        tap.close();
        tap.close();
        assertThat(tap.isOpen()).isFalse();
        assertThatThrownBy(() -> tap.read(new byte[100], 0, 100)).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> tap.write(new byte[64], 0, 64)).isInstanceOf(ClosedChannelException.class);
        assertThat(tap.inputStream().read(new byte[100])).isEqualTo(-1);
        // everything else that touches the device: one exception, one message
        String closed = "TapDevice[tap tpcl, closed] is closed";
        assertThatThrownBy(tap::up).isInstanceOf(IllegalStateException.class).hasMessage(closed);
        assertThatThrownBy(tap::down).isInstanceOf(IllegalStateException.class).hasMessage(closed);
        assertThatThrownBy(() -> tap.setMtu(1400))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(closed);
        assertThatThrownBy(tap::link).isInstanceOf(IllegalStateException.class).hasMessage(closed);
        assertThatThrownBy(() -> tap.setPersistent(true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(closed);
        assertThatThrownBy(() -> tap.setMac(MacAddress.parse("02:00:00:00:00:01")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(closed);
        assertThat(tap.name()).isEqualTo("tpcl");
        assertThat(tap.toString()).isEqualTo("TapDevice[tap tpcl, closed]");
    }

    @Test
    void closedOutputStreamRefusesWritesAtOnce() throws Exception {
        TapDevice tap = TapDevice.tap("fa-tpo").open(ns);
        FrameOutputStream out = tap.outputStream();
        out.close();
        assertThatThrownBy(() -> out.write(new byte[64])).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> out.write(0)).isInstanceOf(ClosedChannelException.class);
        out.flush(); // nothing was started: nothing to send

        // a frame started before the device was closed under the stream: adding to it fails too
        TapDevice other = TapDevice.tap("fa-tpp").open(ns);
        FrameOutputStream started = other.outputStream();
        started.write(1);
        other.close();
        assertThatThrownBy(() -> started.write(2)).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> started.write(new byte[64])).isInstanceOf(ClosedChannelException.class);
    }

    /** Attaches to the persistent tap {@code name} and unmakes it persistent: it goes with this last fd. */
    private void unpersist(String name) throws Exception {
        try (TapDevice again = TapDevice.tap(name).open(ns)) {
            again.setPersistent(false);
        }
    }
}
