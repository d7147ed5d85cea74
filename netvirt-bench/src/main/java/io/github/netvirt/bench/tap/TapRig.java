package io.github.netvirt.bench.tap;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.EachOf;
import io.github.netvirt.netns.internal.LibC;
import io.github.netvirt.netns.internal.Sys;
import io.github.netvirt.tap.TapDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * The C peer's set-up (peers/tap-peer.c) through netvirt: an ephemeral namespace with IPv6
 * silenced, bridge pbtapbr, taps pbtap0/pbtap1 (netvirt-tap) enslaved and up, the bridge's FDB
 * primed so that frames from MAC_A to MAC_B are known unicast. The bridge and link flags are set
 * with the same ioctls as the C peer (the set-up is not what is measured).
 */
final class TapRig implements AutoCloseable {
    static final byte[] MAC_A = {0x02, 0x70, 0x62, 0x00, 0x00, 0x0a};
    static final byte[] MAC_B = {0x02, 0x70, 0x62, 0x00, 0x00, 0x0b};
    static final int ETHERTYPE_BENCH = 0x88b5;
    static final int MAGIC = 0x70627462;
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final long SIOCBRADDBR = 0x89a0;
    private static final long SIOCBRADDIF = 0x89a2;

    final NetNamespace ns;
    final TapDevice tap0;
    final TapDevice tap1;

    TapRig() throws Exception {
        ns = NetNamespace.ephemeral();
        TapDevice t0 = null;
        TapDevice t1 = null;
        try {
            ns.call(() -> {
                // /proc/sys/net follows the reading thread's namespace
                Files.writeString(Path.of("/proc/sys/net/ipv6/conf/default/disable_ipv6"), "1");
                Files.writeString(Path.of("/proc/sys/net/ipv6/conf/all/disable_ipv6"), "1");
                return null;
            });
            int ctl = ns.inside(() -> Sys.socket(LibC.AF_INET, LibC.SOCK_DGRAM, 0));
            try {
                LibC.ioctl(ctl, SIOCBRADDBR, name("pbtapbr", 16));
                t0 = TapDevice.tap("pbtap0").readTimeout(Duration.ofMillis(100)).open(ns);
                t1 = TapDevice.tap("pbtap1").readTimeout(Duration.ofMillis(100)).open(ns);
                for (String tap : new String[] {"pbtap0", "pbtap1"}) {
                    byte[] ifr = name("pbtapbr", 40);
                    ByteBuffer.wrap(ifr).order(ByteOrder.nativeOrder()).putInt(16, index(ctl, tap));
                    LibC.ioctl(ctl, SIOCBRADDIF, ifr);
                    up(ctl, tap);
                }
                up(ctl, "pbtapbr");
            } finally {
                Sys.closeQuietly(ctl);
            }
            Thread.sleep(100);
            teach(t0, t1);
            Thread.sleep(50);
        } catch (Exception | Error e) {
            EachOf.closeAfter(e, t0, t1, ns);
            throw e;
        }
        tap0 = t0;
        tap1 = t1;
    }

    /**
     * One frame each way, so that the bridge knows both MACs again: it forgets a MAC 300 s (its
     * ageing time) after the last frame from it, and the measured frames only ever come from MAC_A;
     * MAC_B forgotten, every frame to it would be flooded to every port. The frames are queued on
     * the taps; drain them before measuring.
     */
    void teach() throws IOException {
        teach(tap0, tap1);
    }

    private static void teach(TapDevice t0, TapDevice t1) throws IOException {
        byte[] f = new byte[64];
        frame(f, 64, MAC_B, MAC_A);
        t0.write(f, 0, 64);
        frame(f, 64, MAC_A, MAC_B);
        t1.write(f, 0, 64);
    }

    /** Enslaves another tap of the namespace to the bridge and brings it up (the C peer's ioctls). */
    void attach(String tap) throws Exception {
        int ctl = ns.inside(() -> Sys.socket(LibC.AF_INET, LibC.SOCK_DGRAM, 0));
        try {
            byte[] ifr = name("pbtapbr", 40);
            ByteBuffer.wrap(ifr).order(ByteOrder.nativeOrder()).putInt(16, index(ctl, tap));
            LibC.ioctl(ctl, SIOCBRADDIF, ifr);
            up(ctl, tap);
        } finally {
            Sys.closeQuietly(ctl);
        }
    }

    static void frame(byte[] f, int size, byte[] dst, byte[] src) {
        Arrays.fill(f, 0, size, (byte) 0);
        System.arraycopy(dst, 0, f, 0, 6);
        System.arraycopy(src, 0, f, 6, 6);
        f[12] = (byte) (ETHERTYPE_BENCH >> 8);
        f[13] = (byte) ETHERTYPE_BENCH;
        ByteBuffer.wrap(f).order(ByteOrder.nativeOrder()).putInt(14, MAGIC);
        for (int i = 22; i < size; i++) {
            f[i] = (byte) i;
        }
    }

    private static byte[] name(String name, int size) {
        byte[] b = new byte[size];
        System.arraycopy(name.getBytes(StandardCharsets.US_ASCII), 0, b, 0, name.length());
        return b;
    }

    private static int index(int ctl, String dev) {
        byte[] ifr = name(dev, 40);
        LibC.ioctl(ctl, LibC.SIOCGIFINDEX, ifr);
        return ByteBuffer.wrap(ifr).order(ByteOrder.nativeOrder()).getInt(16);
    }

    private static void up(int ctl, String dev) {
        byte[] ifr = name(dev, 40);
        ByteBuffer b = ByteBuffer.wrap(ifr).order(ByteOrder.nativeOrder());
        LibC.ioctl(ctl, SIOCGIFFLAGS, ifr);
        b.putShort(16, (short) (b.getShort(16) | 1));
        LibC.ioctl(ctl, SIOCSIFFLAGS, ifr);
    }

    @Override
    public void close() {
        tap0.close();
        tap1.close();
        ns.close();
    }
}
