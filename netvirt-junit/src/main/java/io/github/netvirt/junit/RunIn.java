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
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RunIn {
    /** The namespace's logical name. */
    String value();

    /** The {@code @Network} field, when the test has several networks. */
    String network() default "";
}
