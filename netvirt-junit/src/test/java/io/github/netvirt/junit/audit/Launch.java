package io.github.netvirt.junit.audit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** Runs user test classes through the JUnit launcher, as Surefire would, and records every outcome. */
final class Launch {
    /** One finished test or container: its display name (with its parents'), status, throwable. */
    record Outcome(String name, boolean test, TestExecutionResult.Status status, Throwable thrown) {
        @Override
        public String toString() {
            return name + " " + status + (thrown == null ? "" : " " + thrown);
        }
    }

    final Map<String, Outcome> outcomes = new LinkedHashMap<>();
    final List<String> skipped = new ArrayList<>();
    final List<String> reports = new ArrayList<>();

    private Launch() {}

    static Launch run(boolean parallel, Class<?>... classes) {
        Launch l = new Launch();
        LauncherDiscoveryRequestBuilder b = LauncherDiscoveryRequestBuilder.request()
                .selectors(Arrays.stream(classes).map(c -> selectClass(c)).toList())
                .configurationParameter(AuditOnly.KEY, "true")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", Boolean.toString(parallel));
        if (parallel) {
            b.configurationParameter("junit.jupiter.execution.parallel.mode.default", "same_thread")
                    .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                    .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                    .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4");
        }
        LauncherDiscoveryRequest req = b.build();
        Map<String, String> names = new LinkedHashMap<>();
        LauncherFactory.create().execute(req, new TestExecutionListener() {
            @Override
            public void executionStarted(TestIdentifier id) {
                names.put(id.getUniqueId(), name(id));
            }

            @Override
            public void executionSkipped(TestIdentifier id, String reason) {
                synchronized (l) {
                    l.skipped.add(id.getDisplayName() + ": " + reason);
                }
            }

            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult r) {
                synchronized (l) {
                    String n = names.getOrDefault(id.getUniqueId(), id.getDisplayName());
                    l.outcomes.put(
                            n,
                            new Outcome(
                                    n,
                                    id.isTest(),
                                    r.getStatus(),
                                    r.getThrowable().orElse(null)));
                }
            }

            @Override
            public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
                synchronized (l) {
                    entry.getKeyValuePairs().forEach((k, v) -> l.reports.add(k + "=" + v));
                }
            }

            private String name(TestIdentifier id) {
                String u = id.getUniqueId();
                // [engine:junit-jupiter]/[class:a.B$C]/[method:m()] -> C/m()
                StringBuilder s = new StringBuilder();
                for (String seg : u.split("/")) {
                    String v = seg.substring(seg.indexOf(':') + 1, seg.length() - 1);
                    if (seg.startsWith("[engine")) {
                        continue;
                    }
                    if (seg.startsWith("[class") || seg.startsWith("[nested-class")) {
                        v = v.substring(v.lastIndexOf('$') + 1);
                        v = v.substring(v.lastIndexOf('.') + 1);
                    }
                    s.append(s.length() == 0 ? "" : "/").append(v);
                }
                return s.toString();
            }
        });
        return l;
    }

    Outcome get(String name) {
        Outcome o = outcomes.get(name);
        if (o == null) {
            throw new AssertionError("no outcome " + name + " in " + outcomes.keySet() + " skipped " + skipped);
        }
        return o;
    }
}
