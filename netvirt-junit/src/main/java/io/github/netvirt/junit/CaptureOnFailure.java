package io.github.netvirt.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Captures every device of the test's networks while each test method runs (one pcap file per
 * device, through {@code Topology.capture}) and keeps the files of a <em>failed</em> test under
 * {@link #directory()}{@code /<class>/<method>/<ns>-<dev>.pcap}, named in its failure message. A
 * passing test leaves nothing. On a {@link NetvirtTest} class or one of its test methods. In
 * {@code <ns>} a {@code -} is written {@code %2D} and a {@code %} {@code %25}, so that no two devices
 * share a file (namespace {@code a-b}'s {@code c} is {@code a%2Db-c.pcap}, namespace {@code a}'s
 * {@code b-c} is {@code a-b-c.pcap}); a test with several networks has {@code <field>.} in front
 * (and a {@code .} of {@code <ns>} written {@code %2E}).
 *
 * <pre>{@code
 * @NetvirtTest
 * @CaptureOnFailure
 * class OrderServiceTest { ... }
 * }</pre>
 *
 * <p>The capture covers the test method itself (after {@code @BeforeEach}, before
 * {@code @AfterEach}) on the devices the networks have when it starts: devices of the root
 * namespace, and devices the test adds with {@code change()}, are not captured. A test that fails in its
 * {@code @AfterEach} is a failed test: its files are kept too. So is a {@code @TestFactory} one of whose
 * dynamic tests fails: its files, which cover all its dynamic tests, are kept when it ends, and the
 * failing dynamic test's message names them.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(CaptureExtension.class)
public @interface CaptureOnFailure {
    /** Where the captures of failed tests go, relative to the working directory (Maven's: the module). */
    String directory() default "target/netvirt-captures";
}
