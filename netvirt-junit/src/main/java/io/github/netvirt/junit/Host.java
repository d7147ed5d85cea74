package io.github.netvirt.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@code NetNamespace} parameter: inject the namespace with this logical name. Without
 * {@link #network()}, from the one network, in the method's and the class's scopes, that has it;
 * several that have it are refused (name one).
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Host {
    /** The namespace's logical name in the topology, e.g. {@code "net0"}. */
    String value();

    /** The {@code @Network} field, when several networks in scope have the host {@link #value()}. */
    String network() default "";
}
