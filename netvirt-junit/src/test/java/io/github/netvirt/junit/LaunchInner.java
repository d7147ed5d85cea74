package io.github.netvirt.junit;

import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Runs one inner test class through the launcher in a child JVM and prints what happened. */
public final class LaunchInner {
    private LaunchInner() {}

    public static void main(String[] args) throws Exception {
        TestExecutionSummary s = FailureTest.run(Class.forName(args[0]));
        System.out.println("started=" + s.getTestsStartedCount() + " failed=" + s.getTestsFailedCount()
                + " containersFailed=" + s.getContainersFailedCount()
                + " containersAborted=" + s.getContainersAbortedCount()
                + " containersSkipped=" + s.getContainersSkippedCount());
        s.getFailures()
                .forEach(f -> System.out.println("failure: " + f.getException().getMessage()));
    }
}
