package io.github.netvirt.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class whose {@link Network @Network} fields are real networks: a {@code static} field is
 * built before the class's first test and removed after its last; an instance field is built
 * before each test and removed after it, whether the test passed or not. {@code Topology},
 * {@link TestNetwork} and {@code @Host("name") NetNamespace} parameters are injected.
 *
 * <p>Namespaces are ephemeral and carry an automatic prefix, so test classes run in parallel
 * without clashing; a static {@code @Network} in a base class is shared by the classes that extend
 * it while they run (see {@link Network}). Registering {@link NetvirtExtension} a second time, e.g.
 * with {@code @RegisterExtension} to order it among other extensions, is harmless: one instance
 * does the work. Without root (CAP_NET_ADMIN and CAP_SYS_ADMIN) the class fails, saying what is
 * needed, unless {@link #skipWithoutPrivileges()} asks to skip it instead.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(NetvirtExtension.class)
public @interface NetvirtTest {
    /**
     * Keep a network whose scope failed, for debugging: namespaces are then named (under
     * {@code /run/netns}) and the {@code ip netns exec} commands to inspect them are printed.
     * Remove one afterwards with the printed {@code remove with:} command ({@code
     * Topology#removalCommand()}: its devices in the root namespace, its namespaces and its record
     * under {@code /run/netvirt}), or from Java with the printed {@code Topology.removeDetached(prefix)}
     * (the only way printed for a network a shell cannot remove exactly). A network shared by several classes (a static
     * field in their base class) is kept after the last of them, if one failed. A network that cannot
     * be kept (one with a tap, which closes with the JVM) is removed, and the printed line (also a
     * report entry, key {@code netvirt}) says so and why.
     */
    boolean keepOnFailure() default false;

    /** Skip (rather than fail) the class when the JVM lacks the privileges to build networks. */
    boolean skipWithoutPrivileges() default false;
}
