package io.github.netvirt.junit;

import io.github.netvirt.core.Topology;
import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.tap.PacketCapture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

/**
 * The extension behind {@link CaptureOnFailure}. It captures around the test method only (before and
 * after test execution), so the networks of {@link NetvirtExtension} are running whatever order
 * the two extensions were registered in; whether the test failed is known only after its
 * {@code @AfterEach} methods (a failure there fails the test too), which run before {@link #afterEach}.
 */
final class CaptureExtension
        implements BeforeTestExecutionCallback,
                AfterTestExecutionCallback,
                AfterEachCallback,
                InvocationInterceptor,
                TestExecutionExceptionHandler,
                LifecycleMethodExecutionExceptionHandler {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(CaptureExtension.class);

    /** The captures of one test method, written to a temporary directory until the outcome is known. */
    private static final class Session {
        final Path tmp;
        /** Where they go if the test fails. */
        final Path dir;

        final List<PacketCapture> captures = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        List<String> kept;
        boolean stopped;
        /** A dynamic test of this test factory failed: the captures are kept when the factory ends. */
        volatile boolean dynamicFailed;

        Session(Path tmp, Path dir) {
            this.tmp = tmp;
            this.dir = dir;
        }

        void stop() {
            if (stopped) {
                return;
            }
            stopped = true;
            for (PacketCapture c : captures) {
                try {
                    c.close();
                } catch (RuntimeException e) {
                    problems.add(c.file().getFileName() + ": " + e.getMessage());
                }
            }
        }

        /** Moves the files to {@link #dir} (replacing an earlier run's); returns one line per file. */
        List<String> keep() {
            if (kept != null) {
                return kept;
            }
            stop();
            kept = new ArrayList<>();
            try {
                Files.createDirectories(dir);
                for (int i = 0; i < captures.size(); i++) {
                    PacketCapture c = captures.get(i);
                    Path to = dir.resolve(names.get(i)).toAbsolutePath();
                    Files.move(c.file(), to, StandardCopyOption.REPLACE_EXISTING);
                    long dropped = c.dropCount();
                    kept.add("  " + to + " (" + c.frameCount() + " frames"
                            + (dropped > 0
                                    ? ", " + dropped + " more dropped by the kernel: the capture fell behind"
                                    : "")
                            + ")");
                }
            } catch (IOException e) {
                kept.add("  (could not keep the captures in " + dir + ": " + e + ")");
            }
            problems.forEach(p -> kept.add("  (" + p + ")"));
            discard();
            return kept;
        }

        void discard() {
            stop();
            try (var files = Files.list(tmp)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the captures in " + tmp, e);
            }
        }
    }

    @Override
    public void beforeTestExecution(ExtensionContext ec) throws IOException {
        Session s = new Session(Files.createTempDirectory("netvirt-capture-"), directory(ec));
        ec.getStore(NS).put(Session.class, s);
        Map<String, TestNetwork> networks = NetvirtExtension.networks(ec);
        for (Map.Entry<String, TestNetwork> n : networks.entrySet()) {
            if (!n.getValue().isRunning()) {
                continue;
            }
            Topology t = n.getValue().topology();
            for (NamespaceSpec ns : t.spec().namespaces()) {
                if (ns.root()) {
                    continue;
                }
                for (DeviceSpec d : ns.devices()) {
                    String name = fileName(networks.size() > 1 ? n.getKey() : null, ns.name(), d.name());
                    try {
                        s.captures.add(t.capture(ns.name(), d.name(), s.tmp.resolve(name)));
                        s.names.add(name);
                    } catch (RuntimeException | IOException e) {
                        s.problems.add("no capture of " + ns.name() + "/" + d.name() + ": " + e.getMessage());
                    }
                }
            }
        }
    }

    /**
     * The file of {@code device} in namespace {@code ns} of network {@code network} (null when the
     * test has one): {@code [NETWORK.]NS-DEVICE.pcap}, e.g. {@code web-eth0.pcap}. In {@code NS} a
     * {@code %} is written {@code %25} and a {@code -} {@code %2D} (and a {@code .} {@code %2E} after a
     * network's name, which may have dots but, as the device's, no {@code %}, {@code -} nor {@code /}
     * (a Java name)): the first {@code -} ends the namespace, so two devices never share a file.
     */
    static String fileName(String network, String ns, String device) {
        String escaped = ns.replace("%", "%25").replace("-", "%2D");
        if (network != null) {
            escaped = escaped.replace(".", "%2E");
        }
        return (network != null ? network + "." : "") + escaped + "-" + device + ".pcap";
    }

    @Override
    public void handleTestExecutionException(ExtensionContext ec, Throwable t) throws Throwable {
        Session s = ec.getStore(NS).get(Session.class, Session.class);
        if (s == null || t instanceof TestAbortedException) {
            throw t; // an aborted (skipped) test did not fail: afterTestExecution discards its captures
        }
        List<String> lines = s.keep();
        throw lines.isEmpty()
                ? t
                : FailureMessages.withNetwork(t, "\n\ncaptures of this test (pcap):\n" + String.join("\n", lines));
    }

    /**
     * A failing dynamic test fails its factory's test: JUnit gives it no exception handler, and its
     * factory's context no execution exception. Its captures are kept when the factory ends (they go
     * on until then), and its message names them.
     */
    @Override
    public void interceptDynamicTest(
            Invocation<Void> invocation, DynamicTestInvocationContext call, ExtensionContext ec) throws Throwable {
        try {
            invocation.proceed();
        } catch (Throwable t) {
            Session s = ec.getStore(NS).get(Session.class, Session.class);
            if (s == null || t instanceof TestAbortedException || s.names.isEmpty()) {
                throw t;
            }
            s.dynamicFailed = true;
            StringBuilder text = new StringBuilder("\n\ncaptures of this test (pcap), kept when its factory ends:");
            s.names.forEach(n -> text.append("\n  ").append(s.dir.resolve(n).toAbsolutePath()));
            throw FailureMessages.withNetwork(t, text.toString());
        }
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext ec, Throwable t) throws Throwable {
        handleTestExecutionException(ec, t);
    }

    /** Stops the captures: they cover the test method only; {@link #afterEach} keeps or discards them. */
    @Override
    public void afterTestExecution(ExtensionContext ec) {
        Session s = ec.getStore(NS).get(Session.class, Session.class);
        if (s != null) {
            s.stop();
        }
    }

    @Override
    public void afterEach(ExtensionContext ec) {
        Session s = ec.getStore(NS).remove(Session.class, Session.class);
        if (s == null || s.kept != null) {
            return;
        }
        if (s.dynamicFailed
                || ec.getExecutionException()
                        .filter(t -> !(t instanceof TestAbortedException))
                        .isPresent()) {
            System.err.println(
                    "netvirt: captures of failed " + ec.getDisplayName() + ":\n" + String.join("\n", s.keep()));
        } else {
            s.discard();
        }
    }

    /** {@code directory/<class>/<method>}, plus the invocation's number for repeated and parameterized tests. */
    private static Path directory(ExtensionContext ec) {
        String base = ec.getTestMethod()
                .flatMap(m -> AnnotationSupport.findAnnotation(m, CaptureOnFailure.class))
                .or(() -> annotation(ec.getTestClass()))
                .map(CaptureOnFailure::directory)
                .orElse("target/netvirt-captures");
        String method = ec.getRequiredTestMethod().getName();
        String id = ec.getUniqueId();
        int invocation = id.lastIndexOf("[test-template-invocation:#");
        if (invocation >= 0) {
            method += "-" + id.substring(invocation + "[test-template-invocation:#".length(), id.length() - 1);
        }
        return Path.of(base, ec.getRequiredTestClass().getName(), method);
    }

    private static Optional<CaptureOnFailure> annotation(Optional<Class<?>> c) {
        while (c.isPresent()) {
            Optional<CaptureOnFailure> a = AnnotationSupport.findAnnotation(c.get(), CaptureOnFailure.class);
            if (a.isPresent()) {
                return a;
            }
            c = Optional.ofNullable(c.get().getEnclosingClass());
        }
        return Optional.empty();
    }
}
