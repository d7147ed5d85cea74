package io.github.netvirt.junit;

import io.github.netvirt.core.Topology;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.EachOf;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.opentest4j.TestAbortedException;

/**
 * The JUnit 5 extension behind {@link NetvirtTest}: builds {@link Network @Network} fields, injects
 * parameters, runs {@link RunIn @RunIn} methods inside a namespace, adds the network to failure
 * messages, and removes (or, on request, keeps) the networks after their scope. When it starts it
 * also starts {@link Topology#reapInBackground()}: what killed test JVMs left behind is removed
 * without a call from the tests.
 */
public final class NetvirtExtension
        implements ExecutionCondition,
                BeforeAllCallback,
                AfterAllCallback,
                BeforeEachCallback,
                AfterEachCallback,
                ParameterResolver,
                InvocationInterceptor,
                TestExecutionExceptionHandler,
                LifecycleMethodExecutionExceptionHandler {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NetvirtExtension.class);
    private static final AtomicInteger SCOPES = new AtomicInteger();

    /** Store key of the instance that does the work when the extension is registered more than once. */
    private static final String OWNER = "owner";

    /**
     * Store key, in a test's context, of how many fault schedules each network in its scope had had
     * when it began ({@link TestNetwork#started()}): its failure shows those started since.
     */
    private static final String SCHEDULES_BEFORE = "schedules before";

    /**
     * One {@code @Network} field of one scope: the field itself, not its name, as two fields of one
     * scope may have the same name (a {@code @Nested} class's and its outer class's, a subclass's
     * hiding its base class's), and each is its own network; and the class it was found in (the
     * instance's, or the test class for a static field), as one instance field of a base class that a
     * {@code @Nested} class and its outer class both extend is two networks of one scope.
     */
    private record Built(Field field, TestNetwork network, Class<?> holder) {
        String name() {
            return field.getName();
        }

        /** The field as its declaring class spells it, e.g. {@code Outer.Inner.net}. */
        String qualified() {
            return qualified(field);
        }

        /** The field as the class it was found in spells it, e.g. {@code Outer.Inner.net} for Base's. */
        String held() {
            return simpleName(holder) + "." + field.getName();
        }

        static String qualified(Field f) {
            return simpleName(f.getDeclaringClass()) + "." + f.getName();
        }

        private static String simpleName(Class<?> c) {
            String n = c.getName();
            return n.substring(n.lastIndexOf('.') + 1).replace('$', '.');
        }
    }

    /** A network visible from a context: the scope that reaches it first, its field there, and its label. */
    private record Visible(Scope scope, Built built, String label) {}

    /** The networks of one scope (a class or a test method), in the order they were built. */
    private static final class Scope implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final String name;
        final List<Built> networks = new ArrayList<>();
        volatile boolean failed;
        private final AtomicBoolean done = new AtomicBoolean();

        Scope(ExtensionContext context) {
            this.name = context.getUniqueId();
        }

        /**
         * Ends this scope's use of its networks, once; a network shared with scopes still running
         * stays up. Puts the kept networks' inspection lines in {@code kept}, by {@link #label}, and
         * for those that could not be kept (and were removed instead) why, in {@code notKept}.
         */
        void leave(boolean keep, Map<String, List<String>> kept, Map<String, RuntimeException> notKept) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            EachOf.release(networks, b -> {
                try {
                    List<String> lines = b.network().leave(name, keep);
                    if (!lines.isEmpty()) {
                        kept.put(label(b), lines);
                    }
                } catch (RuntimeException ex) {
                    if (!keep) {
                        throw ex;
                    }
                    notKept.put(label(b), ex);
                }
            });
        }

        /**
         * The field's name, or with its declaring class if another field of this scope has that name
         * too, or with the class it was found in if another has that field too.
         */
        String label(Built b) {
            if (networks.stream().filter(o -> o.name().equals(b.name())).count() == 1) {
                return b.name();
            }
            return networks.stream().filter(o -> o.field().equals(b.field())).count() == 1 ? b.qualified() : b.held();
        }

        @Override
        public void close() {
            leave(false, new LinkedHashMap<>(), new LinkedHashMap<>());
        }
    }

    // ------------------------------------------------------------------ scopes

    /**
     * Whether this instance does the work in {@code context}: the extension may be registered twice
     * (say {@code @NetvirtTest} and a {@code @RegisterExtension} field); the first instance to see a
     * class works for it and its tests, the others do nothing.
     */
    private boolean owns(ExtensionContext context) {
        return context.getStore(NS).getOrComputeIfAbsent(OWNER, k -> this, Object.class) == this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!owns(context)) {
            return;
        }
        Class<?> testClass = context.getRequiredTestClass();
        checkPrivileges(context, testClass);
        // what crashed test JVMs left behind, cleaned in the background (once per JVM)
        Topology.reapInBackground();
        Scope scope = new Scope(context);
        context.getStore(NS).put(context.getUniqueId(), scope);
        for (Field f : networkFields(testClass, true)) {
            start(context, scope, f, null);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!owns(context)) {
            return;
        }
        List<Object> instances = context.getRequiredTestInstances().getAllInstances();
        refuseConcurrentMethodsOfOneInstance(context, instances);
        Scope scope = new Scope(context);
        context.getStore(NS).put(context.getUniqueId(), scope);
        for (Object instance : instances) {
            for (Field f : networkFields(instance.getClass(), false)) {
                start(context, scope, f, instance);
            }
        }
        Map<TestNetwork, Long> before = new IdentityHashMap<>();
        visible(context)
                .forEach(
                        v -> before.put(v.built().network(), v.built().network().started()));
        context.getStore(NS).put(SCHEDULES_BEFORE, before);
    }

    /**
     * One instance field holds one running network: with {@code @TestInstance(PER_CLASS)} and test
     * methods running concurrently, the methods share the instance, so the field cannot give each
     * its own network. So do they share the instances of the classes enclosing a PER_CLASS
     * {@code @Nested} class (JUnit makes them once for it), whatever those classes' own lifecycle.
     * Refused before any network of the method is built.
     */
    private static void refuseConcurrentMethodsOfOneInstance(ExtensionContext context, List<Object> instances) {
        boolean parallel = context.getConfigurationParameter("junit.jupiter.execution.parallel.enabled")
                .map(Boolean::parseBoolean)
                .orElse(false);
        if (!parallel || context.getExecutionMode() != ExecutionMode.CONCURRENT) {
            return;
        }
        Class<?> perClass = null; // the innermost PER_CLASS class from the test's class outwards
        for (int i = instances.size() - 1; i >= 0; i--) {
            Class<?> type = instances.get(i).getClass();
            if (perClass == null && perClass(context, type)) {
                perClass = type;
            }
            List<Field> fields = networkFields(type, false);
            if (fields.isEmpty() || perClass == null) {
                continue;
            }
            Field f = fields.get(0);
            String field = Built.qualified(f);
            if (perClass == type) {
                throw new ExtensionConfigurationException("@Network field " + field
                        + " is an instance field of a @TestInstance(PER_CLASS) class whose test "
                        + "methods run concurrently: they share the instance, and one field holds one running "
                        + "network, not one per method. Make the field static (one network for the class's methods), "
                        + "or run the class's methods one at a time (@Execution(ExecutionMode.SAME_THREAD) on the "
                        + "class), or drop PER_CLASS");
            }
            throw new ExtensionConfigurationException("@Network field " + field + " is an instance field of "
                    + type.getSimpleName() + ", which encloses the @Nested @TestInstance(PER_CLASS) class "
                    + perClass.getSimpleName() + " whose test methods run concurrently: JUnit makes the enclosing "
                    + "instance once for them all, so they share it, and one field holds one running network, not "
                    + "one per method. Make the field static, or run " + perClass.getSimpleName()
                    + "'s methods one at a time (@Execution(ExecutionMode.SAME_THREAD) on it), or drop its PER_CLASS");
        }
    }

    /** Whether the instances of {@code type}, a class around {@code context}, live as long as their class. */
    private static boolean perClass(ExtensionContext context, Class<?> type) {
        for (Optional<ExtensionContext> c = Optional.of(context);
                c.isPresent();
                c = c.get().getParent()) {
            if (c.get().getTestMethod().isEmpty() && c.get().getTestClass().orElse(null) == type) {
                return c.get().getTestInstanceLifecycle().orElse(null) == TestInstance.Lifecycle.PER_CLASS;
            }
        }
        return false;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Scope scope = owns(context) ? ownScope(context) : null;
        if (scope == null) {
            return;
        }
        boolean failed = failed(context);
        if (failed) {
            markFailed(context);
        }
        finish(context, scope, failed || scope.failed);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Scope scope = owns(context) ? ownScope(context) : null;
        if (scope != null) {
            boolean failed = scope.failed || failed(context);
            if (failed) {
                markFailed(context);
            }
            finish(context, scope, failed);
        }
    }

    /** Whether {@code context} failed: an aborted (skipped) test or class did not. */
    private static boolean failed(ExtensionContext context) {
        return context.getExecutionException()
                .filter(t -> !(t instanceof TestAbortedException))
                .isPresent();
    }

    /**
     * Marks every scope around {@code context} failed, for keepOnFailure of their networks: the
     * class's (also past the container of a parameterized or repeated test) and those of the classes
     * enclosing a {@code @Nested} one.
     */
    private static void markFailed(ExtensionContext context) {
        scopes(context).forEach(s -> s.failed = true);
    }

    private void start(ExtensionContext context, Scope scope, Field f, Object instance) {
        Object value;
        try {
            f.setAccessible(true);
            value = f.get(instance);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExtensionConfigurationException("cannot read @Network field " + f, e);
        }
        if (value == null) {
            throw new ExtensionConfigurationException("@Network field " + f.getName() + " is null: initialise it with "
                    + "TestNetwork.of(Topology.create()...)");
        }
        TestNetwork network = (TestNetwork) value;
        boolean keep = keepOnFailure(context);
        // ephemeral namespaces die with the JVM whatever happens; named ones only to be kept for debugging.
        // A static field is one network: the classes that reach it (subclasses of the class declaring
        // it) share it while they run, and the last one closes it.
        network.join(
                scope.name,
                () -> scopePrefix(Jvm.PID, Jvm.startTicks(), SCOPES.incrementAndGet()),
                keep,
                Modifier.isStatic(f.getModifiers()));
        scope.networks.add(
                new Built(f, network, instance != null ? instance.getClass() : context.getRequiredTestClass()));
    }

    /**
     * The prefix of scope number {@code scope} of the JVM with {@code pid}, started {@code startTicks}
     * clock ticks after boot (field 22 of {@code /proc/PID/stat}): {@code nv}, then the three numbers
     * in base 36, each followed by {@code -}. No two processes of one boot have the same pid and start
     * time, also a JVM whose kept network outlived it and a later one with its pid; and as no number
     * holds a {@code -}, no prefix is the start of another's (as {@code Topology.removeDetached}
     * would take it).
     */
    static String scopePrefix(long pid, long startTicks, int scope) {
        return "nv" + Long.toString(pid, 36) + "-" + Long.toString(startTicks, 36) + "-" + Integer.toString(scope, 36)
                + "-";
    }

    /** This JVM's process: pid and start time. */
    private static final class Jvm {
        static final long PID = ProcessHandle.current().pid();
        private static volatile long start = -1;

        /** Field 22 of {@code /proc/PID/stat}, read once (it cannot change). */
        static long startTicks() {
            long s = start;
            if (s < 0) {
                Path stat = Path.of("/proc/self/stat"); // read by this JVM: /proc's numbering need not be its
                try {
                    String text = Files.readString(stat);
                    // comm (field 2) may contain spaces and parentheses: count from the last ')'
                    s = Long.parseLong(text.substring(text.lastIndexOf(')') + 2).split(" ")[19]);
                } catch (IOException | RuntimeException e) {
                    throw new IllegalStateException("cannot read this JVM's start time from " + stat, e);
                }
                start = s;
            }
            return s;
        }
    }

    /**
     * Leaves {@code scope}, keeping its networks if it failed under keepOnFailure; what became of
     * each network asked to be kept is printed and published as a report entry ({@value #REPORT_KEY}).
     */
    private void finish(ExtensionContext context, Scope scope, boolean failed) {
        Map<String, List<String>> kept = new LinkedHashMap<>();
        Map<String, RuntimeException> notKept = new LinkedHashMap<>();
        try {
            scope.leave(failed && keepOnFailure(context), kept, notKept);
        } finally {
            kept.forEach((field, lines) -> report(
                    context,
                    "netvirt: kept network '" + field + "' of "
                            + context.getDisplayName() + " after its failure; inspect it with:\n"
                            + String.join("\n", lines)));
            notKept.forEach((field, e) -> report(context, notKept(field, context.getDisplayName(), e)));
        }
    }

    /** Key of the report entries that say what became of a network keepOnFailure asked to keep. */
    static final String REPORT_KEY = "netvirt";

    private static void report(ExtensionContext context, String text) {
        System.err.println(text);
        context.publishReportEntry(REPORT_KEY, text);
    }

    /** The sentence for a network that keepOnFailure asked to keep, but {@code e} removed instead. */
    static String notKept(String field, String scope, RuntimeException e) {
        StringBuilder s = new StringBuilder("netvirt: network '")
                .append(field)
                .append("' of ")
                .append(scope)
                .append(" was not kept after its failure: ")
                .append(e.getMessage());
        if (e.getSuppressed().length == 0) {
            return s.append("; it was removed instead").toString();
        }
        s.append("; removing it instead failed too:");
        for (Throwable x : e.getSuppressed()) {
            s.append(' ').append(x.getMessage());
        }
        return s.toString();
    }

    /** The scopes visible from {@code ec}, innermost first. */
    private static List<Scope> scopes(ExtensionContext ec) {
        List<Scope> out = new ArrayList<>();
        for (Optional<ExtensionContext> c = Optional.of(ec);
                c.isPresent();
                c = c.get().getParent()) {
            Scope s = ownScope(c.get());
            if (s != null && out.stream().noneMatch(x -> x == s)) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * The running networks visible from {@code ec}, the innermost scope first, by field name (with
     * the field's class where two fields have one name).
     */
    static Map<String, TestNetwork> networks(ExtensionContext ec) {
        Map<String, TestNetwork> out = new LinkedHashMap<>();
        visible(ec).forEach(v -> out.put(v.label(), v.built().network()));
        return out;
    }

    /**
     * Each network visible from {@code ec} once, the innermost scope first, each with a label of its
     * own: a static field of a base class that a {@code @Nested} class and its outer class both extend
     * is one network in both scopes.
     */
    private static List<Visible> visible(ExtensionContext ec) {
        List<Visible> out = new ArrayList<>();
        Set<String> labels = new HashSet<>();
        for (Scope s : scopes(ec)) {
            for (Built b : s.networks) {
                if (out.stream().anyMatch(v -> v.built().network() == b.network())) {
                    continue;
                }
                String label = s.label(b);
                label = labels.contains(label) ? b.qualified() : label;
                label = labels.contains(label) ? b.held() : label;
                labels.add(label);
                out.add(new Visible(s, b, label));
            }
        }
        return out;
    }

    /**
     * The scope {@code context} started, or null. Keyed by the context's id: a store lookup also
     * finds the parents' values, and an afterEach whose beforeEach never ran (another extension's
     * failed first) would otherwise close the class's networks.
     */
    private static Scope ownScope(ExtensionContext context) {
        return context.getStore(NS).get(context.getUniqueId(), Scope.class);
    }

    private static boolean keepOnFailure(ExtensionContext context) {
        return annotation(context).map(NetvirtTest::keepOnFailure).orElse(false);
    }

    private static Optional<NetvirtTest> annotation(ExtensionContext context) {
        Optional<Class<?>> c = context.getTestClass();
        while (c.isPresent()) {
            NetvirtTest a = c.get().getAnnotation(NetvirtTest.class);
            if (a != null) {
                return Optional.of(a);
            }
            c = Optional.ofNullable(c.get().getEnclosingClass());
        }
        return Optional.empty();
    }

    /**
     * Disables a class that opted into skipping ({@link NetvirtTest#skipWithoutPrivileges}) in a JVM
     * without the privileges, with the reason: reported as skipped (Surefire, IDEs), where an abort in
     * {@code beforeAll} is shown nowhere. Without the opt-in, {@link #beforeAll} fails the class.
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestClass().isEmpty()
                || !annotation(context).map(NetvirtTest::skipWithoutPrivileges).orElse(false)) {
            return ConditionEvaluationResult.enabled("no skipWithoutPrivileges");
        }
        String missing = Privileges.missing();
        return missing == null
                ? ConditionEvaluationResult.enabled("privileges present")
                : ConditionEvaluationResult.disabled(
                        skipped(needsRoot(context.getTestClass().get(), missing)));
    }

    private static String needsRoot(Class<?> testClass, String missing) {
        return testClass.getSimpleName() + " builds real networks and needs root: " + missing
                + ". Run the tests as root (e.g. sudo mvn verify), or in a container with --cap-add NET_ADMIN "
                + "--cap-add SYS_ADMIN.";
    }

    private static String skipped(String needsRoot) {
        return "SKIPPED (skipWithoutPrivileges = true): " + needsRoot;
    }

    private static void checkPrivileges(ExtensionContext context, Class<?> testClass) {
        String missing = Privileges.missing();
        if (missing == null) {
            return;
        }
        String text = needsRoot(testClass, missing);
        if (annotation(context).map(NetvirtTest::skipWithoutPrivileges).orElse(false)) {
            throw new TestAbortedException(skipped(text));
        }
        throw new ExtensionConfigurationException(
                text + " To skip such classes instead of failing, use @NetvirtTest(skipWithoutPrivileges = true).");
    }

    static List<Field> networkFields(Class<?> type, boolean statics) {
        List<Field> out = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!f.isAnnotationPresent(Network.class) || Modifier.isStatic(f.getModifiers()) != statics) {
                    continue;
                }
                if (f.getType() != TestNetwork.class) {
                    throw new ExtensionConfigurationException("@Network field " + c.getSimpleName() + "." + f.getName()
                            + " must be of type TestNetwork (TestNetwork.of(Topology.create()...)), not "
                            + f.getType().getSimpleName());
                }
                out.add(f);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ parameters

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
        if (!owns(ec)) {
            return false; // registered twice: the other instance resolves it
        }
        Class<?> t = pc.getParameter().getType();
        return t == Topology.class || t == TestNetwork.class || (t == NetNamespace.class && pc.isAnnotated(Host.class));
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
        Class<?> t = pc.getParameter().getType();
        if (t == NetNamespace.class) {
            Host h = pc.findAnnotation(Host.class).orElseThrow();
            return hostNetwork(ec, h.value(), h.network(), pc.getParameter().toString())
                    .namespace(h.value());
        }
        String name = pc.findAnnotation(Network.class).map(Network::value).orElse("");
        TestNetwork n = network(ec, name, pc.getParameter().toString());
        return t == TestNetwork.class ? n : n.topology();
    }

    /**
     * The network of host {@code host}: the one named {@code name}, else the one network in any scope
     * that has the host (several in one scope: refused as by {@link #network}; in several scopes:
     * refused, naming them), else the only one in scope as {@link #network} finds it.
     */
    private static TestNetwork hostNetwork(ExtensionContext ec, String host, String name, String forWhat) {
        if (!name.isEmpty()) {
            return network(ec, name, forWhat);
        }
        Map<String, TestNetwork> having = new LinkedHashMap<>();
        Set<Scope> scopesHaving = new HashSet<>();
        List<String> searched = new ArrayList<>();
        for (Visible v : visible(ec)) {
            searched.add(v.label());
            if (v.built().network().kernelNames().containsKey(host)) {
                having.put(v.label(), v.built().network());
                scopesHaving.add(v.scope());
            }
        }
        if (having.size() == 1) {
            return having.values().iterator().next();
        }
        if (having.size() > 1 && scopesHaving.size() == 1) {
            throw new ParameterResolutionException("several networks " + having.keySet() + " could be meant by "
                    + forWhat + ": name one with @Network(\"field\") or @Host(value, network = \"field\")");
        }
        if (having.size() > 1) {
            throw new ParameterResolutionException("networks " + having.keySet() + " of different scopes (the class's"
                    + " and the method's) all have a host '" + host + "' (networks searched: " + searched
                    + "): name the one meant by " + forWhat + " with network = \"field\", e.g. @RunIn(value, network ="
                    + " \"field\") or @Host(value, network = \"field\")");
        }
        return network(ec, "", forWhat); // no network has it (or it is the root namespace): as before
    }

    /**
     * The network named {@code name}, or the only one in scope (the innermost scope first). Two fields
     * of one scope with that name (a {@code @Nested} class's and its outer class's instance fields, a
     * subclass's static field hiding its base class's) are refused, naming both.
     */
    private static TestNetwork network(ExtensionContext ec, String name, String forWhat) {
        List<Scope> scopes = scopes(ec);
        List<String> all = new ArrayList<>();
        for (Scope s : scopes) {
            List<Built> named =
                    s.networks.stream().filter(b -> b.name().equals(name)).toList();
            if (named.size() == 1) {
                return named.get(0).network();
            }
            if (named.size() > 1) {
                throw new ParameterResolutionException("@Network fields "
                        + named.stream().map(s::label).toList() + " are all named '" + name + "': "
                        + forWhat + " cannot tell which is meant; rename one of them");
            }
            s.networks.forEach(b -> all.add(s.label(b)));
        }
        if (!name.isEmpty()) {
            throw new ParameterResolutionException(
                    "no running @Network field '" + name + "' for " + forWhat + " (running: " + all + ")");
        }
        for (Scope s : scopes) {
            if (s.networks.size() == 1) {
                return s.networks.get(0).network();
            }
            if (s.networks.size() > 1) {
                throw new ParameterResolutionException("several networks "
                        + s.networks.stream().map(s::label).toList() + " could be meant by "
                        + forWhat + ": name one with @Network(\"field\") or @Host(value, network = \"field\")");
            }
        }
        throw new ParameterResolutionException("no @Network field is running for " + forWhat
                + " (a static field serves the whole class, an instance field only test methods)");
    }

    // ------------------------------------------------------------------ @RunIn

    @Override
    public void interceptTestMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext ec)
            throws Throwable {
        runIn(invocation, call, ec);
    }

    @Override
    public void interceptTestTemplateMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext ec)
            throws Throwable {
        runIn(invocation, call, ec); // @ParameterizedTest, @RepeatedTest
    }

    @Override
    public void interceptBeforeEachMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext ec)
            throws Throwable {
        runIn(invocation, call, ec);
    }

    @Override
    public void interceptAfterEachMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext ec)
            throws Throwable {
        runIn(invocation, call, ec);
    }

    @Override
    public void interceptBeforeAllMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext ec)
            throws Throwable {
        runIn(invocation, call, ec); // the class's static networks are up by now
    }

    @Override
    public void interceptAfterAllMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext ec)
            throws Throwable {
        runIn(invocation, call, ec);
    }

    @Override
    public <T> T interceptTestFactoryMethod(
            Invocation<T> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext ec) throws Throwable {
        if (call.getExecutable().isAnnotationPresent(RunIn.class)) {
            // the factory returns the dynamic tests; their bodies run later, outside this call
            throw new ExtensionConfigurationException(
                    "@RunIn on @TestFactory " + call.getExecutable().getName()
                            + " would run only the factory inside the namespace, not the dynamic tests it returns: call"
                            + " NetNamespace.run/call in each dynamic test's body instead");
        }
        return invocation.proceed();
    }

    /**
     * A dynamic test gets no afterEach and no exception handler from JUnit: its failure is seen
     * here, for keepOnFailure and the failure message.
     */
    @Override
    public void interceptDynamicTest(
            Invocation<Void> invocation, DynamicTestInvocationContext call, ExtensionContext ec) throws Throwable {
        if (!owns(ec)) {
            invocation.proceed();
            return;
        }
        try {
            invocation.proceed();
        } catch (Throwable t) {
            if (!(t instanceof TestAbortedException)) {
                markFailed(ec);
            }
            handleTestExecutionException(ec, t);
        }
    }

    /** Proceeds on a thread inside the namespace named by the method's {@link RunIn}, if any. */
    private void runIn(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext ec)
            throws Throwable {
        RunIn runIn = call.getExecutable().getAnnotation(RunIn.class);
        if (runIn == null || !owns(ec)) {
            invocation.proceed();
            return;
        }
        String forWhat =
                "@RunIn(\"" + runIn.value() + "\") on " + call.getExecutable().getName();
        TestNetwork n = hostNetwork(ec, runIn.value(), runIn.network(), forWhat);
        NetNamespace ns;
        try {
            ns = n.namespace(runIn.value());
        } catch (NoSuchElementException e) {
            throw new ExtensionConfigurationException(
                    forWhat + ": " + e.getMessage() + " (its hosts: "
                            + n.kernelNames().keySet() + ")",
                    e);
        }
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        ns.call(() -> {
            try {
                invocation.proceed();
            } catch (Throwable t) {
                thrown.set(t);
            }
            return null;
        });
        if (thrown.get() != null) {
            throw thrown.get();
        }
    }

    // ------------------------------------------------------------------ failure messages

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext ec, Throwable t) throws Throwable {
        handleTestExecutionException(ec, t);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext ec, Throwable t) throws Throwable {
        handleTestExecutionException(ec, t);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext ec, Throwable t) throws Throwable {
        handleTestExecutionException(ec, t);
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext ec, Throwable t) throws Throwable {
        handleTestExecutionException(ec, t);
    }

    /** Adds the networks in scope to the failure (its message for assertion errors). */
    @Override
    public void handleTestExecutionException(ExtensionContext ec, Throwable t) throws Throwable {
        if (!owns(ec)) {
            throw t;
        }
        @SuppressWarnings("unchecked") // a class's failure has none: every schedule
        Map<TestNetwork, Long> before = ec.getStore(NS).getOrDefault(SCHEDULES_BEFORE, Map.class, Map.of());
        StringBuilder text = new StringBuilder();
        for (Visible v : visible(ec)) {
            TestNetwork n = v.built().network();
            text.append("\n\nnetwork '")
                    .append(v.label())
                    .append("':\n")
                    .append(n.describe(before.getOrDefault(n, 0L)));
        }
        throw text.length() == 0 ? t : FailureMessages.withNetwork(t, text.toString());
    }
}
