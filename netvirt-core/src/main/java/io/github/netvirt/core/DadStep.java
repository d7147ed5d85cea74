package io.github.netvirt.core;

import io.github.netvirt.core.spec.TopologySpec;
import java.util.List;

/**
 * Sets IPv6 duplicate address detection in a namespace netvirt made, in the change that makes the
 * topology's IPv6 begin ({@link DadOffStep}) or end ({@link DadOnStep}), for the devices made there
 * after and for the topology's {@code devices()} there now; the change reads the values first and
 * writes them back if it fails ({@link LiveChange}).
 */
sealed interface DadStep extends Op permits DadOffStep, DadOnStep {

    TopologySpec spec();

    String ns();

    List<String> devices();

    /**
     * The names {@link #devices()} have now ({@link Resources#namesNow}): accept_dad is a sysctl named
     * for the device, and someone may have renamed one and given its name to a device of theirs.
     */
    default List<String> devicesNow(Resources res) {
        return res.namesNow(spec(), ns(), devices());
    }
}
