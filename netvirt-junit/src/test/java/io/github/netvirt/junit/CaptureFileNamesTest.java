package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The names of the capture files: one per device, never one for two, readable in the common case. */
class CaptureFileNamesTest {

    @Test
    void aCommonNameIsNamespaceDashDevice() {
        assertThat(CaptureExtension.fileName(null, "web", "eth0")).isEqualTo("web-eth0.pcap");
        assertThat(CaptureExtension.fileName("net", "web", "eth0")).isEqualTo("net.web-eth0.pcap");
        assertThat(CaptureExtension.fileName(null, "web", "br-lan")).isEqualTo("web-br-lan.pcap");
    }

    @Test
    void aDashInTheNamespaceNameCannotMakeTwoDevicesOneFile() {
        assertThat(CaptureExtension.fileName(null, "a-b", "c"))
                .isNotEqualTo(CaptureExtension.fileName(null, "a", "b-c"));
        assertThat(CaptureExtension.fileName("n", "a-b", "c")).isNotEqualTo(CaptureExtension.fileName("n", "a", "b-c"));
        assertThat(CaptureExtension.fileName(null, "a-b", "c")).isEqualTo("a%2Db-c.pcap");
    }

    @Test
    void aDotInTheNamespaceNameCannotPassForTheNetworksQualifiedName() {
        assertThat(CaptureExtension.fileName("Base.net", "x", "eth0"))
                .isNotEqualTo(CaptureExtension.fileName("Base", "net.x", "eth0"));
        assertThat(CaptureExtension.fileName(null, "a.b", "eth0")).isEqualTo("a.b-eth0.pcap");
    }

    @Test
    void everyNamespaceAndDeviceOfTrickyNamesHasItsOwnFile() {
        List<String> parts = List.of("a", "b", "-", "a-", "-b", "a-b", "%", "%2D", "a%2Db", "a.b", "a--b", "2D");
        for (String network : new String[] {null, "n", "Outer.n"}) {
            Map<String, String> seen = new HashMap<>();
            for (String ns : parts) {
                for (String dev : parts) {
                    String name = CaptureExtension.fileName(network, ns, dev);
                    assertThat(seen.put(name, ns + " / " + dev))
                            .as("%s for %s / %s", name, ns, dev)
                            .isNull();
                    assertThat(name).doesNotContain("/").endsWith(".pcap");
                }
            }
        }
    }
}
