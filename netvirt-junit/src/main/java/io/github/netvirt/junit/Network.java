package io.github.netvirt.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@link TestNetwork} field: the network the extension builds and removes (a static field per
 * class, an instance field per test method). On a parameter of type {@code Topology} or
 * {@link TestNetwork}: which field to inject, by name, when a test has several networks.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Network {
    /** On a parameter: the name of the {@code @Network} field. Ignored on fields. */
    String value() default "";
}
