package io.github.netvirt.netns.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN). Without them it is skipped with a message
 * on a developer's machine and fails in CI (environment variable {@code CI} set): a silent skip in
 * CI would hide a whole suite.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RootCheck.class)
public @interface RequiresRoot {}
