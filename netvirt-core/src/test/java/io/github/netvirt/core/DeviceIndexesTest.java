package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.spec.TopologySpec;
import org.junit.jupiter.api.Test;

/**
 * The ifindexes a topology keeps of its devices ({@link Resources#deviceIndexes}), in the namespaces it
 * made as in the root and adopted ones (the root's stand for both here, as an adopted namespace must
 * exist to be described).
 */
class DeviceIndexesTest {

    private static TopologySpec spec() {
        return Topology.create()
                .prefix("gTu-")
                .root()
                .bridge("gTr0")
                .bridge("gTr1")
                .ns("a")
                .bridge("br2")
                .spec();
    }

    @Test
    void devicesOfEveryNamespaceAreKept() {
        Resources res = new Resources();
        res.deviceMade(new DeviceKey(TopologySpec.ROOT, "gTr0"), 7);
        res.deviceMade(new DeviceKey(TopologySpec.ROOT, "gTr1"), 8);
        res.deviceMade(new DeviceKey("a", "br2"), 9);
        assertThat(res.deviceIndexes)
                .containsOnlyKeys(
                        new DeviceKey(TopologySpec.ROOT, "gTr0"),
                        new DeviceKey(TopologySpec.ROOT, "gTr1"),
                        new DeviceKey("a", "br2"))
                .containsValues(7, 8, 9);
    }

    @Test
    void devicesTheDescriptionNoLongerHoldsAreForgotten() {
        Resources res = new Resources();
        res.deviceMade(new DeviceKey(TopologySpec.ROOT, "gTr0"), 7);
        res.deviceMade(new DeviceKey(TopologySpec.ROOT, "gTr1"), 8);
        TopologySpec without = Topology.create()
                .prefix("gTu-")
                .root()
                .bridge("gTr0")
                .ns("a")
                .bridge("br2")
                .spec();
        res.keepDeviceIndexes(without);
        assertThat(res.deviceIndexes).containsOnlyKeys(new DeviceKey(TopologySpec.ROOT, "gTr0"));
        res.keepDeviceIndexes(spec());
        assertThat(res.deviceIndexes).containsOnlyKeys(new DeviceKey(TopologySpec.ROOT, "gTr0"));
    }
}
