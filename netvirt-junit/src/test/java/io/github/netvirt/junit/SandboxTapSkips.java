package io.github.netvirt.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.tap.TapDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** A TAP test, run by {@link SandboxRunTest} as nobody in the sandbox: it opens a tap, or skips saying why. */
@ExtendWith(InnerOnly.class)
public class SandboxTapSkips {
    private NetNamespace ns;
    private TapDevice tap;

    @BeforeEach
    void open() {
        ns = NetNamespace.ephemeral();
        tap = TapDevice.tap("tp%d").open(ns);
    }

    @AfterEach
    void close() {
        tap.close(); // a NullPointerException when open() was skipped: SandboxLimits lets that pass too
        ns.close();
    }

    @Test
    void opensATap() {
        System.out.println("opened " + tap.name());
    }

    /** Runs this class through the JUnit launcher (extension auto-detection on) and prints each test's result. */
    public static void main(String[] args) {
        LauncherFactory.create()
                .execute(
                        LauncherDiscoveryRequestBuilder.request()
                                .selectors(selectClass(SandboxTapSkips.class))
                                .configurationParameter(InnerOnly.KEY, "true")
                                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                                .build(),
                        new TestExecutionListener() {
                            @Override
                            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                                if (id.isTest()) {
                                    System.out.println("result " + id.getDisplayName() + ": " + result.getStatus()
                                            + result.getThrowable()
                                                    .map(t -> " " + t.getMessage())
                                                    .orElse(""));
                                }
                            }
                        });
    }
}
