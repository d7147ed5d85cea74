package io.github.netvirt.netns.testing;

import io.github.netvirt.netns.Sandbox;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.sys.SyscallException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * In a user-namespace sandbox, a test that fails because {@code /dev/net/tun} refuses this user
 * (mode 0600 on the machine: only its root may open it) is skipped with that reason: the sandbox
 * cannot do TAP there, and README.md says so. Anywhere else, or for any other failure, nothing changes.
 * Registered for every module's tests through JUnit's extension auto-detection (the parent POM turns it on).
 */
public final class SandboxLimits implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable t) throws Throwable {
        throw translate(t, Sandbox.current().active());
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable t) throws Throwable {
        throw translate(t, Sandbox.current().active());
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable t) throws Throwable {
        throw translate(t, Sandbox.current().active());
    }

    /** {@code t} itself, or a skip when in a sandbox and {@code t} comes from /dev/net/tun's EACCES. */
    static Throwable translate(Throwable t, boolean sandboxed) {
        if (!sandboxed) {
            return t;
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SyscallException se && se.is(Errno.EACCES)
                    && String.valueOf(se.getMessage()).contains("/dev/net/tun")) {
                TestAbortedException skip = new TestAbortedException("SKIPPED: TAP is not available in this "
                        + "user-namespace sandbox: /dev/net/tun is mode 0600 on this machine, so only its root "
                        + "may open it (" + se.getMessage() + ")");
                skip.addSuppressed(t);
                return skip;
            }
        }
        return t;
    }
}
