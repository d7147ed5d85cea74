package io.github.netvirt.examples.sniffer;

import io.github.netvirt.examples.Example;

/** {@code java -jar netvirt-examples.jar sniffer [--mirror] [FILE.pcap]}. */
public final class SnifferExample implements Example {
    @Override
    public String name() {
        return "sniffer";
    }

    @Override
    public String summary() {
        return "every frame crossing a TAP wire (or, --mirror, a bridge) into a pcap [--mirror] [FILE.pcap]";
    }

    @Override
    public int run(String... args) throws Exception {
        return Sniffer.run(args);
    }
}
