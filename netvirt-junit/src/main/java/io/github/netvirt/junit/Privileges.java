package io.github.netvirt.junit;

import io.github.netvirt.netns.internal.Capabilities;
import java.io.IOException;

/** Whether this JVM may build networks: CAP_NET_ADMIN and CAP_SYS_ADMIN in its effective set. */
final class Privileges {
    /** How to run without root: netvirt's user-namespace sandbox (README, "Without root"). */
    static final String SANDBOX = "Without root, run the tests in netvirt's user-namespace sandbox: "
            + "bin/netvirt-run mvn -o test, or only Surefire's forks, with "
            + "<jvm>${maven.multiModuleProjectDirectory}/bin/sandbox-jvm/bin/java</jvm> in the "
            + "maven-surefire-plugin's <configuration> (bin/ is in netvirt's repository)";

    private Privileges() {}

    /** Null when both capabilities are there, else what is missing. */
    static String missing() {
        long caps;
        try {
            caps = Capabilities.effective();
        } catch (IOException | RuntimeException e) {
            return "cannot read the process's capabilities from /proc/self/status (" + e.getMessage() + ")";
        }
        return missing(caps);
    }

    static String missing(long caps) {
        String lacking = Capabilities.lacking(caps);
        return lacking == null ? null : "the JVM lacks " + lacking + " (namespaces and devices need both). " + SANDBOX;
    }
}
