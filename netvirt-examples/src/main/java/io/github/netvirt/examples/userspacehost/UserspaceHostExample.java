package io.github.netvirt.examples.userspacehost;

import io.github.netvirt.examples.Example;

/** {@code java -jar netvirt-examples.jar userspace-host [SECONDS]}. */
public final class UserspaceHostExample implements Example {
    @Override
    public String name() {
        return "userspace-host";
    }

    @Override
    public String summary() {
        return "a Java host on a TAP answers ARP, ICMP echo and UDP echo for a kernel namespace [SECONDS]";
    }

    @Override
    public int run(String... args) throws Exception {
        return UserspaceHost.run(args);
    }
}
