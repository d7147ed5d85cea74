package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.Json;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The kernel refuses exactly the interface names {@link Names} refuses for their bytes: every
 * character of two bytes of UTF-8 (U+0080 to U+07FF), and some of three and four, each in a name of
 * its own, made as bridges by {@code ip -batch} in a namespace of the test's.
 */
@RequiresRoot
class InterfaceNameBytesTest {
    @RegisterExtension
    final DeleteNetnsAfter ns = DeleteNetnsAfter.of(TestNames.unique("fg"));

    @Test
    void theKernelRefusesTheNamesWithByteA0AndNoOthers() {
        Ip.ok("netns", "add", ns.name());
        List<String> names = new ArrayList<>();
        for (int cp = 0x80; cp < 0x800; cp++) {
            names.add("a" + new String(Character.toChars(cp)));
        }
        for (int cp : new int[] {0x800, 0x820, 0x821, 0xa00, 0xfffd, 0x10020, 0x10021}) {
            names.add("b" + new String(Character.toChars(cp)));
        }
        StringBuilder batch = new StringBuilder();
        for (String n : names) {
            batch.append("link add ").append(n).append(" type bridge\n");
        }
        Ip.execWithInput(List.of("ip", "-n", ns.name(), "-force", "-batch", "-"), batch.toString());
        Set<String> made = new TreeSet<>();
        for (Map<String, Object> l : Json.array(Ip.ok("-j", "-n", ns.name(), "link", "show"))) {
            made.add((String) l.get("ifname"));
        }
        Set<String> accepted = names.stream()
                .filter(n -> Names.interfaceProblem(n) == null)
                .collect(Collectors.toCollection(TreeSet::new));
        accepted.add("lo");
        assertThat(made).isEqualTo(accepted);
        assertThat(names.size() - accepted.size() + 1).isEqualTo(34); // 30 of two bytes, 4 of three or four
    }
}
