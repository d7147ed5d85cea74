package io.github.netvirt.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated test method on a thread inside the namespace {@link #value()}: plain
 * {@code new Socket(...)}, {@code ServerSocket}, {@code HttpClient} and child processes then work
 * in that host's network. Threads the test starts inherit the namespace. Works on {@code @Test},
 * {@code @ParameterizedTest}, {@code @RepeatedTest}, {@code @BeforeEach} and {@code @AfterEach}
 * methods, and on {@code @BeforeAll} and {@code @AfterAll} ones with a static {@code @Network}. On a
 * {@code @TestFactory} it is refused (an {@code ExtensionConfigurationException}): the dynamic tests
 * it returns run later, outside the factory.
 *
 * <p>A child process the method starts with a plain {@code ProcessBuilder} is born inside the
 * namespace but belongs to no handle: if it still runs when the network closes (the test failed
 * before it ended it), the close ends it (SIGTERM, up to 1 s, then SIGKILL) and logs a warning
 * naming it; a process it double-forked (no longer this JVM's descendant) is only named. If the JVM
 * is killed first, it outlives the JVM and keeps the namespace alive, nameless. Start it with
 * {@code net.namespace(value).start(processBuilder)} instead: it is the namespace handle's, ended
 * at the close, and killed with the JVM however it dies. A plain {@code ProcessBuilder} is also the
 * JDK's first use of its process-reaper pool when the JVM has no idle reaper thread: that thread is
 * then born inside, keeps the namespace alive until it idles out (60 s) and is named in the close's
 * warning; {@code start(processBuilder)} starts no JDK thread inside.
 *
 * <p>Without {@link #network()}, the network is the one, in the method's and the class's scopes,
 * that has the host {@link #value()}; several that have it are refused (name one). A host the
 * network lacks fails the method with an {@code ExtensionConfigurationException} naming the network's hosts.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RunIn {
    /** The namespace's logical name. */
    String value();

    /** The {@code @Network} field, when several networks in scope have the host {@link #value()}. */
    String network() default "";
}
