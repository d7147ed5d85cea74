package io.github.netvirt.netns.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** See {@link RequiresRoot}. */
public final class RootCheck implements ExecutionCondition {
    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_SYS_ADMIN = 21;
    static final String NEEDS = "netvirt's kernel tests need root (CAP_NET_ADMIN and CAP_SYS_ADMIN); "
            + "run them as root, e.g. sudo mvn verify, or without root in netvirt's user-namespace sandbox: "
            + "mvn -Psandbox verify";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (privileged()) {
            return ConditionEvaluationResult.enabled("running with CAP_NET_ADMIN and CAP_SYS_ADMIN");
        }
        if (System.getenv("CI") != null) {
            throw new IllegalStateException("CI is set, so this test must run, but: " + NEEDS);
        }
        return ConditionEvaluationResult.disabled("SKIPPED: " + NEEDS);
    }

    /** True when the effective capabilities include CAP_NET_ADMIN and CAP_SYS_ADMIN. */
    public static boolean privileged() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return (caps & (1L << CAP_NET_ADMIN)) != 0 && (caps & (1L << CAP_SYS_ADMIN)) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }
}
