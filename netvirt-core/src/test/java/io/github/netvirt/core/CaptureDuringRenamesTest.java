package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import io.github.netvirt.tap.PacketCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Topology#capture} of a declared device binds the capture to the topology's device while
 * someone renames it and gives its name to a device of theirs, back and forth: the device is proven
 * the topology's by its ifindex, and a name read after that proof can name another device by the time
 * the capture looks it up.
 */
@RequiresRoot
class CaptureDuringRenamesTest {
    private static final int CAPTURES = 200;

    private final String p = TestNames.unique("jC") + "-";

    @TempDir
    Path dir;

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void everyCaptureIsBoundToTheTopologysDevice() throws Exception {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("eth0", "b", "eth0")
                .ns("b")
                .dev("eth0")
                .apply()) {
            Ip.ok("-n", p + "a", "link", "add", "name", "theirs", "type", "bridge");
            int ours = t.link("a", "eth0").index();
            List<String> wrong = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            try (NetlinkHandle h = NetlinkHandle.open(t.namespace("a"))) {
                int theirs = h.linkIndex("theirs");
                Thread renamer = new Thread(() -> {
                    while (!stop.get()) {
                        h.linkSetName(ours, "eth9");
                        h.linkSetName(theirs, "eth0");
                        h.linkSetName(theirs, "theirs");
                        h.linkSetName(ours, "eth0");
                    }
                });
                renamer.start();
                try {
                    for (int i = 0; i < CAPTURES; i++) {
                        try (PacketCapture c = t.capture("a", "eth0", dir.resolve(i + ".pcap"))) {
                            List<Integer> bound = boundIndexes(t);
                            if (!bound.equals(List.of(ours))) {
                                wrong.add("capture " + i + " bound to " + bound + ", not " + ours);
                            }
                        } catch (RuntimeException e) {
                            wrong.add("capture " + i + ": " + e);
                        }
                    }
                } finally {
                    stop.set(true);
                    renamer.join();
                }
            }
            assertThat(wrong)
                    .as("captures not bound to the topology's a/eth0 (ifindex %d)", ours)
                    .isEmpty();
        }
    }

    /** The ifindexes the packet sockets of namespace a are bound to ({@code /proc/net/packet}'s Iface). */
    private static List<Integer> boundIndexes(Topology t) throws Exception {
        List<String> lines = t.namespace("a").inside(() -> Files.readAllLines(Path.of("/proc/thread-self/net/packet")));
        List<Integer> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            out.add(Integer.parseInt(line.trim().split("\\s+")[4]));
        }
        return out;
    }
}
