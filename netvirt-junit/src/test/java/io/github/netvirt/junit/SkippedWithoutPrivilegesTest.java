package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * A class that opts into skipping ({@code @NetvirtTest(skipWithoutPrivileges = true)}) and runs
 * without the privileges is reported skipped, with the reason: what Surefire and IDEs show as
 * "Skipped" with the message. An abort in {@code beforeAll} instead left Surefire saying "Tests run:
 * 0, Skipped: 0", the reason nowhere. A child JVM runs without CAP_NET_ADMIN and CAP_SYS_ADMIN.
 */
@RequiresRoot
class SkippedWithoutPrivilegesTest {
    @Test
    void aClassThatOptsIntoSkippingIsReportedSkippedWithTheReason() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Ip.Result r = Ip.exec(List.of(
                "setpriv",
                "--bounding-set=-net_admin,-sys_admin",
                "--inh-caps=-all",
                java,
                "-cp",
                System.getProperty("java.class.path"),
                Child.class.getName()));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out())
                .as(r.out())
                .containsPattern("skipped \\S*SkipsWithoutRoot: ")
                .contains("SkipsWithoutRoot builds real networks and needs root")
                .doesNotContain("aborted");
    }

    /** Launches FailureTest.SkipsWithoutRoot and prints what was skipped or aborted, and why. */
    public static final class Child {
        public static void main(String[] args) {
            TestExecutionListener listener = new TestExecutionListener() {
                @Override
                public void executionSkipped(TestIdentifier id, String reason) {
                    System.out.println("skipped " + id.getDisplayName() + ": " + reason);
                }

                @Override
                public void executionFinished(TestIdentifier id, org.junit.platform.engine.TestExecutionResult result) {
                    if (result.getStatus() == org.junit.platform.engine.TestExecutionResult.Status.ABORTED) {
                        System.out.println("aborted " + id.getDisplayName() + ": "
                                + result.getThrowable()
                                        .map(Throwable::getMessage)
                                        .orElse(""));
                    }
                }
            };
            LauncherFactory.create()
                    .execute(
                            LauncherDiscoveryRequestBuilder.request()
                                    .selectors(selectClass(FailureTest.SkipsWithoutRoot.class))
                                    .configurationParameter(InnerOnly.KEY, "true")
                                    .build(),
                            listener);
        }
    }
}
