package io.github.netvirt.junit;

import static io.github.netvirt.junit.NetvirtExtension.scopePrefix;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.Names;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The prefixes the extension gives its scopes' kernel names: never the same, nor one the start of
 * another, for two processes that can exist on one machine in one boot (live at the same time, or
 * a JVM that kept a network and died, and a later one with its pid).
 */
class ScopePrefixTest {
    /** The kernel's PID_MAX_LIMIT on 64-bit (4 Mi): pid_max cannot be set higher. */
    private static final long PID_MAX_LIMIT = 1L << 22;

    @Test
    void twoLiveJvmsWhosePidsAgreeModulo46656GetDifferentPrefixes() {
        assertThat(scopePrefix(1000, 5000, 1)).isNotEqualTo(scopePrefix(1000 + 46656, 5001, 1));
        assertThat(scopePrefix(4194303, 900, 7)).isNotEqualTo(scopePrefix(4194303 - 46656 * 89, 901, 7));
    }

    @Test
    void aPidDigitIsNeverTakenForAScopeDigit() {
        // pid 1261 is "z1" in base 36, pid 45398 "z12": scope 75 ("23") and scope 3 would both give "z123"
        assertThat(scopePrefix(1261, 5000, 75)).isNotEqualTo(scopePrefix(45398, 5000, 3));
    }

    @Test
    void aReusedPidGetsOtherPrefixesThanTheDeadJvmWhoseKeptNetworkOutlivedIt() {
        // a kept (detached) network outlives its JVM; the pid comes back later, with another start time
        assertThat(scopePrefix(31337, 120, 1)).isNotEqualTo(scopePrefix(31337, 9_000_000, 1));
    }

    @Test
    void noPrefixStartsAnother() {
        // Topology.removeDetached(prefix) removes what starts with it
        List<String> all = List.of(
                scopePrefix(1, 1, 1),
                scopePrefix(1, 1, 36),
                scopePrefix(1, 11, 1),
                scopePrefix(11, 1, 1),
                scopePrefix(37, 1, 1),
                scopePrefix(1, 37, 1),
                scopePrefix(1296, 1, 1),
                scopePrefix(PID_MAX_LIMIT - 1, 1, 1));
        assertThat(new HashSet<>(all)).hasSameSizeAs(all);
        for (String a : all) {
            for (String b : all) {
                if (a != b) {
                    assertThat(b).as(a).doesNotStartWith(a);
                }
            }
        }
    }

    @Test
    void theLongestPrefixIsShortAndAValidNamespaceName() {
        // a century of uptime at 1000 ticks a second, the largest pid, 2^31-1 scopes
        String longest = scopePrefix(PID_MAX_LIMIT - 1, 100L * 366 * 86400 * 1000, Integer.MAX_VALUE);
        assertThat(longest).hasSizeLessThanOrEqualTo(25);
        assertThat(Names.namespaceProblem(longest + "server")).isNull();
        Set<Character> chars = new HashSet<>();
        longest.chars().forEach(c -> chars.add((char) c));
        assertThat(chars).allMatch(c -> Character.isLetterOrDigit(c) || c == '-');
    }
}
