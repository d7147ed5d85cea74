package io.github.netvirt.core;

import java.util.List;

/**
 * Sets IPv6 duplicate address detection in a namespace netvirt made, in the change that makes the
 * topology's IPv6 begin ({@link DadOffStep}) or end ({@link DadOnStep}), for the devices made there
 * after and for the topology's {@code devices()} there now; the change reads the values first and
 * writes them back if it fails ({@link LiveChange}).
 */
sealed interface DadStep extends Op permits DadOffStep, DadOnStep {

    List<String> devices();
}
