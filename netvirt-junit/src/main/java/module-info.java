/** JUnit 5 extension: a topology per test class or method, injected hosts, captures on failure. */
module io.github.netvirt.junit {
    requires transitive io.github.netvirt.core;
    requires transitive io.github.netvirt.faults;
    requires transitive org.junit.jupiter.api;

    exports io.github.netvirt.junit;
    // JUnit makes the extensions @NetvirtTest and @CaptureOnFailure name by reflection
    opens io.github.netvirt.junit to
            org.junit.platform.commons;
}
