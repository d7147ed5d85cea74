package io.github.netvirt.examples.httpintegration;

import io.github.netvirt.examples.Example;

/** {@code java -jar netvirt-examples.jar http-integration}. */
public final class HttpIntegrationExample implements Example {
    @Override
    public String name() {
        return "http-integration";
    }

    @Override
    public String summary() {
        return "HTTP server and two clients in namespaces; one client's cable is cut and restored";
    }

    @Override
    public int run(String... args) throws Exception {
        return HttpIntegration.run(args);
    }
}
