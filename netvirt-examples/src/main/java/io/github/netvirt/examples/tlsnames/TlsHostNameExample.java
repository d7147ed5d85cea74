package io.github.netvirt.examples.tlsnames;

import io.github.netvirt.examples.Example;

/** {@code java -jar netvirt-examples.jar tls-hostname}. */
public final class TlsHostNameExample implements Example {
    @Override
    public String name() {
        return "tls-hostname";
    }

    @Override
    public String summary() {
        return "TLS between two hosts, the certificate verified against the host name \"server\"";
    }

    @Override
    public int run(String... args) throws Exception {
        return TlsHostName.run(args);
    }
}
