package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.internal.Sys;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SO_NETNS_COOKIE: one per namespace, the same through every handle, never handed to a later namespace. */
@RequiresRoot
class CookieTest {
    /** The named namespaces, this name and others that start with it. */
    @RegisterExtension
    final DeleteNetnsAfter named = DeleteNetnsAfter.prefixed(TestNames.unique("ck"));

    @Test
    void everyHandleOnANamespaceHasItsCookieAndANewNamespaceANewOne() throws Exception {
        String name = named.name();
        try (NetNamespace made = NetNamespace.create(name);
                NetNamespace opened = NetNamespace.open(name);
                NetNamespace e = NetNamespace.ephemeral();
                NetNamespace root = NetNamespace.root()) {
            assertThat(made.cookie())
                    .isEqualTo(opened.cookie())
                    .isNotEqualTo(e.cookie())
                    .isNotEqualTo(root.cookie());
            long inE = e.inside(Sys::netnsCookie);
            long inRoot = root.inside(Sys::netnsCookie);
            assertThat(inE).isEqualTo(e.cookie());
            assertThat(inRoot).isEqualTo(root.cookie());
            String other = name + "a";
            try (NetNamespace attached = e.attach(other)) {
                assertThat(attached.cookie()).isEqualTo(e.cookie());
                assertThat(NetNamespace.open(other).cookie()).isEqualTo(e.cookie());
            }
        }
    }

    @Test
    void aClosedHandleAnswersWithTheCookieItKnowsAndCannotReadOne() {
        NetNamespace made = NetNamespace.ephemeral();
        long c = made.cookie();
        made.close();
        assertThat(made.cookie()).isEqualTo(c);
        NetNamespace root = NetNamespace.root(); // an opened handle: its cookie is read on first use
        root.close();
        assertThatThrownBy(root::cookie).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void cookiesAreNotReusedWhereInodesAre() throws Exception {
        Set<Long> cookies = new HashSet<>();
        Set<Long> inodes = new HashSet<>();
        int n = 40;
        for (int i = 0; i < n; i++) {
            try (NetNamespace e = NetNamespace.ephemeral()) {
                cookies.add(e.cookie());
                inodes.add(e.inode());
            }
            Thread.sleep(5); // the kernel frees a dead namespace's inode number asynchronously
        }
        assertThat(cookies).hasSize(n);
        System.out.println(n + " namespaces made and closed one after another: " + inodes.size()
                + " distinct nsfs inodes, " + cookies.size() + " distinct cookies");
    }
}
