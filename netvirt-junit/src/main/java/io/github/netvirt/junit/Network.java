package io.github.netvirt.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@link TestNetwork} field: the network the extension builds and removes (a static field per
 * class, an instance field per test method). A static field in a base class is one network, shared
 * by the classes that extend it while they run: the first builds it, the last removes it (classes
 * run one after the other each get it afresh; a class that joins it after a test closed it through
 * {@code topology().close()} gets it built again). An instance field gives each test method its own
 * network only if the methods do not share the instance: with {@code @TestInstance(PER_CLASS)} and
 * methods running concurrently the extension refuses it before building anything (make the field
 * static, or run the class's methods {@code SAME_THREAD}); so it does for an instance field of a class
 * enclosing such a {@code @Nested} class, as JUnit makes the enclosing instance once for all its
 * methods. Two fields with one name (a {@code @Nested} class's and its outer class's, a subclass's
 * static field hiding its base class's) are two networks, each built and removed in its own scope. On
 * a parameter of type {@code Topology} or {@link TestNetwork}: which field to inject, by name, when a
 * test has several networks; a name two fields of one scope have is refused, naming both.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Network {
    /** On a parameter: the name of the {@code @Network} field. Ignored on fields. */
    String value() default "";
}
